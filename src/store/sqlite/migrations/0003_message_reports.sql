-- amends schema, version 3: every outbound message keeps the reply coach's report on the text that was sent.
ALTER TABLE messages ADD COLUMN coach_report TEXT;
