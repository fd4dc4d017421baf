"""Files members share for a visit: agenda, slides, invitation letters, travel details."""
