"""Charts: which chart goes where (`select`), what it shows and says (`spec`, `history`,
`outcome`), how it is drawn (the portfolio's with matplotlib, `draw`, in the house style
of `style`; a record's as SVG written directly, `svg` and `ticks`), kept (`store`), how
numbers read (`words`), and the plain data passed between them (`types`)."""
