"""Teaching and exploring: the course's helpers and exercise maker, the widget explorer, and text
analysis (jieba terms, policy instruments)."""
