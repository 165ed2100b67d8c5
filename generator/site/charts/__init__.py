"""Charts: which chart goes where (`select`), what it shows and says (`spec`, `history`),
how it is drawn (`draw`, in the house style of `style`), how numbers read (`words`), and
the plain data passed between them (`types`)."""
