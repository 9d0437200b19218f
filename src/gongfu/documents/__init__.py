"""Document layout shared by every output an office hands in: one workbook style (`sheets`), one Word style
layer in the GB/T 9704-2012 official-document layout (`official`), and the fonts they use (`fonts`)."""
