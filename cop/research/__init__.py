"""Research on reflections: the codebook, coding, memos, agreement, reading by theme,
value-creation stories and exports."""
