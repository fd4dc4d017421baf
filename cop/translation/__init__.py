"""Machine translation behind one small interface, with a glossary and a translation memory."""
