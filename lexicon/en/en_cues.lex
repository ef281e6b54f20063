# English language pack: macros and cues (negation, clause breaks, politeness that is not an apology).
# Format: see docs/coach.md. A space matches any run of white space; ' matches ' or ’; matching is caseless.
@language en
@negation_window 3

# One word in a gap, and the rest of a word after a stem. Bounded on purpose: with start-of-match tracking an
# unbounded repeat (\w+, \w*, \d+, (...)*) costs Hyperscan a whole extra pass over the text (about 3 µs/KB each).
@define W \w{1,16}
@define WS \w{0,12}
@define SORRY (?:sorry|apologi[sz]e[sd]?|apologi[sz]ing|apologies|apology)
@define WE (?:i|we)
@define WEARE (?:i'm|i am|we're|we are|i've been|we've been)
@define INTENS (?:(?:so|very|truly|really|deeply|terribly|sincerely|genuinely|extremely|awfully|incredibly|most|all) ){0,3}
@define WILL (?:'ll|'d| will| shall| would| am going to|'m going to| are going to|'re going to|'m about to| can| could)
@define HAVE (?:'ve| have| had|'d)
@define NUM (?:\d{1,6}(?:\.\d{1,2})?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|forty-eight|twenty-four|a few|a couple of|several|a|an)
@define UNIT (?:minutes?|hours?|hrs?|days?|business days?|working days?|weeks?|months?|mins?)
@define DAY (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)
@define MONTH (?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)
@define THIRD (?:courier|couriers|carrier|carriers|supplier|suppliers|wholesaler|wholesalers|vendor|vendors|partner|partners|manufacturer|manufacturers|warehouse|delivery company|delivery driver|driver|postal service|post office|postman|royal mail|usps|ups|fedex|dhl|bank|payment provider|payment processor|hosting provider|airline|airport|kitchen|factory|contractor|subcontractor|third party|third-party|3rd party|app store|network provider|internet provider|hosting provider|payment processor|provider)

[negation]
\bnot\b
\bno\b
\bnever\b
\bnor\b
\bneither\b
n't\b
\bcannot\b
\bwithout\b
\bhardly\b
\bnothing\b
\bnone\b

# Negation words that do not negate what follows.
[not_negation]
\bnot only\b
\bcan't tell you how\b
\bcannot tell you how\b
\bcan't apologi[sz]e enough\b
\bcannot apologi[sz]e enough\b
\bcan't say (?:how|enough)\b
\bno doubt\b
\bno later than\b
\bnot later than\b
\bno matter\b
\bdon't hesitate\b
\bdo not hesitate\b
\bnever again\b
\bno extra (?:cost|charge)\b
\bno (?:cost|charge)\b
\bwithout (?:charge|cost|delay|question)\b
\bnot happy\b
\bnot good enough\b
\bnot acceptable\b
\bno excuse\b
\bcan't thank you enough\b
\bcannot thank you enough\b

[clause_break]
\bbut\b
\bhowever\b
\balthough\b
\bthough\b
\bwhereas\b

# "Sorry" used as politeness or sympathy, not as an apology for something we did.
[politeness voids=apology]
\bsorry to (?:bother|trouble|interrupt|disturb|chase|nag|pester|ask)\b
\bsorry for (?:bothering|troubling|interrupting|disturbing|chasing|the (?:long|late) (?:email|message|reply|wait on the line))\b
\bsorry,? but\b
\bsorry\?
\bsorry for your loss\b
\bsorry I missed your call\b
\bsorry,? (?:what|who|which|come again)\b
\b(?:excuse|pardon) me\b
