# English language pack: the elements of a good reply. One section per element; a line is one pattern.
# `lazy` sections hold costly patterns (common words) of elements that other patterns usually find; they are
# scanned only when needed (docs/coach.md, "Lazy sections"), which leaves every report as it was.
@language en

# Regret for what happened, said by us. Conditional, distancing and polite uses are voided elsewhere.
[apology]
\b{WEARE} {INTENS}{SCAN}{SORRY}\b
\b(?:i|we) {INTENS}{SCAN}apologi[sz]e\b
(?:[.!?:;]|^) ?(?:so |very |really |truly )?sorry\b
, sorry[.!]
\bapologies[,.!]
\b(?:i|we) (?:want|wanted|would like|'d like|must|need) to {INTENS}apologi[sz]e\b
\b(?:my|our) {INTENS}(?:sincere |deepest |heartfelt |humble |unreserved |genuine ){0,3}apolog(?:y|ies)\b
\b(?:please )?accept (?:my|our) {INTENS}(?:sincere |deepest |heartfelt |humble |unreserved |genuine ){0,3}apolog(?:y|ies)\b
\bapologies (?:for|that|about)\b
^ ?(?:so |very |really |truly )?sorry\b
\bsorry (?:for|about|again)\b
\b(?:i|we) (?:owe you|must offer|offer) (?:an|my|our) (?:sincere |unreserved |full )?apology\b
\b(?:please )?forgive (?:me|us)\b
\bcan't apologi[sz]e enough\b
\bhow sorry (?:i|we) (?:am|are|were|was)\b
\b(?:my|our) bad\b
\b(?:i|we) feel (?:terrible|awful|bad) (?:about|that)\b

# First-person acceptance of responsibility.
[ownership lazy]
\b(?:this|that|it) (?:was|is|'s) {INTENS}(?:entirely |completely |totally |all |100% )?(?:my|our) (?:fault|mistake|error|doing|responsibility|bad|oversight)\b
[ownership]
\b(?:my|our) {SCAN}(?:own )?(?:{W} )?(?:fault|mistake|error|oversight|mix-up|mixup|blunder|failure)\b
\bour {W}'s (?:fault|mistake|error)\b
\bthat's on (?:me|us)\b
\b(?:this|that|it) (?:one )?(?:is|was) on (?:me|us)\b
\b(?:i|we)(?: have|'ve| had)? (?:made|caused) (?:a|an|the|this|that|some|several|two|a big|a real|a serious) (?:{W} )?(?:mistake|error|mess|mix-up|mixup|blunder)\b
\b(?:i|we)(?: have|'ve)? (?:messed|mixed|screwed|fouled|slipped|goofed) up\b
\b(?:i|we)(?: have|'ve)? (?:got|gotten|took|did) (?:{W} ){1,3}wrong\b
\b(?:i|we) (?:should have|shouldn't have|should not have|should've)\b
\b(?:i|we)(?: have|'ve)? (?:clearly |simply |just )?(?:didn't|did not|failed to|forgot to|neglected to|omitted to|never) (?:fix|roll|tighten|read|see|catch|notice|test|keep|record|approve|make|do|inform|tell|send|update|ship|check|notify|let|warn|contact|call|reply|respond|follow|deliver|process|cancel|refund|pass|include|pack|honou?r)\b
\b(?:i|we) (?:take|accept) (?:full |complete |total )?(?:responsibility|ownership|the blame|accountability)\b
\b(?:i|we) {SCAN}(?:own|accept) (?:this|that|it|the mistake|our mistake|the error)\b
\b(?:i|we)(?: have|'ve)? (?:let|failed) you(?: down)?\b
\b(?:i|we)(?: have|'ve)? dropped the ball\b
\b(?:i|we)(?: have|'ve)? (?:sent|shipped|delivered|gave|given|charged|billed|booked|packed|printed|marked|wrote|put|made|served|cancelled|told) (?:{W} ){0,4}(?:wrong|by mistake|in error|incorrectly|badly)\b
\b(?:i|we)(?: have|'ve)? (?:lost track|scratched|dented|stained|ruined|spoiled)\b
[ownership lazy]
\bour (?:{W} )?(?:team|staff|technicians?|engineers?|mechanic|nurse|vet nurse|driver|agents?|colleagues?|movers?|chef|kitchen|staff member)(?:'s)? (?:{W} )?(?:made|caused|didn't|did not|failed|forgot|gave|sent|scratched|broke|lost|damaged|mislabel{WS}|overcooked)\b
[ownership]
\b(?:change|update|release|deployment|migration) we (?:made|deployed|shipped|released|pushed|ran)\b
\b(?:it|this|that) was ours\b
\bour (?:problem|responsibility) to (?:fix|solve|sort)\b
\b(?:i|we)(?: have|'ve)? (?:double[- ]charged|overcharged|overbilled|mischarged|misquoted|misread|mislabel{1,2}ed|misplaced|lost|damaged|broke|missed|cancelled|canceled|forgot|ignored) (?:you|your)\b
\b(?:i|we) (?:have |'ve )?(?:charged|billed) you (?:twice|double|incorrectly|wrongly|by mistake|in error|too much)\b
\bthe {SCAN}(?:mistake|error|fault|blame) (?:is|was|lies) (?:entirely |completely |all )?(?:ours|mine|with us|with me)\b
\b(?:i|we) (?:fell|have fallen|'ve fallen) short\b
\b(?:i|we) (?:were|was) (?:wrong|at fault|to blame)\b
\bwe (?:are|'re) (?:at fault|to blame|responsible for (?:this|that|the))\b
[ownership lazy]
\b(?:sorry|apologi[sz]e) (?:that )?(?:i|we) (?:made|caused|messed|mixed|got|sent|charged|missed|forgot|lost|didn't|did not|failed)\b

# Expressing feeling for the customer's situation.
[empathy voids=apology]
\bsorry to hear\b
[empathy]
\bsorry (?:that )?you (?:had|have had|'ve had|went through|were put through|had to|'ve had to|have had to)\b
\b(?:i|we) (?:can|could) (?:only )?imagine\b
\b(?:that|this|it) (?:must|must've|must have) (?:been |be )?(?:{W} )?{SCAN}(?:exhausting|frustrating|annoying|upsetting|stressful|disappointing|worrying|infuriating|maddening|awful|horrible|difficult|hard|a pain|inconvenient|confusing|exasperating|alarming|scary|distressing|tiring)\b
\bhow (?:frustrating|annoying|upsetting|stressful|disappointing|worrying|infuriating|maddening|inconvenient|confusing|exasperating|alarming|distressing|awful)\b
\b(?:that|this|it) sounds? (?:{W} )?(?:stressful|frustrating|awful|horrible|exhausting|worrying|upsetting|annoying|difficult|hard)\b
\bright to be (?:{W} )?(?:frustrated|upset|angry|annoyed|disappointed|worried|cross|furious)\b
\bunderstandably,? (?:you're|you are|you were|you'd be)\b
\b(?:i|we) (?:completely |totally |fully |really )?understand (?:how|why|your) (?:{W} )?(?:frustrat{WS}|upset{WS}|disappoint{WS}|annoy{WS}|angry|anger|worr{WS}|stress{WS}|concern{WS}|feel{WS}|inconvenien{WS}|important)\b
\b(?:i|we) (?:know|realise|realize) how (?:frustrating|annoying|upsetting|stressful|disappointing|worrying|important|much|inconvenient)\b
\b(?:i|we)(?:'d| would) (?:be|feel) (?:{W} )?(?:frustrated|upset|annoyed|angry|disappointed|furious|the same|exactly the same)(?: too| as well)?\b
\b(?:that|this|it)(?:'s| is| was) (?:really |so |very |completely |totally )?(?:frustrating|upsetting|disappointing|stressful|worrying|maddening|not good enough|unacceptable|not acceptable|not okay|not ok|not what you deserve)\b
\b(?:you|your) (?:have )?(?:every right|every reason|had every right) to be\b
\b(?:completely|totally|entirely|perfectly) (?:understandable|understand why)\b
\bunderstandably (?:frustrated|upset|annoyed|disappointed|angry|concerned|worried)\b
\b(?:frustration|disappointment|annoyance|upset|anger|worry|stress|inconvenience) (?:this|that|it|we) (?:has |have |must have )?(?:caused|put you through)\b
\bput you through\b
\bon (?:a|your) (?:special|big|important) (?:day|occasion|night)\b
\bi hear you\b
\bthat's not (?:the experience|what) (?:you|we) (?:deserve|expect|want)\b
\bnot the experience (?:you|we) (?:deserve|expected|want|wanted)\b

# Recognising the customer's specific concern.
[acknowledgement]
\b(?:i|we)(?: have|'ve)? (?:completely |totally |fully |really )?{SCAN}(?:understand|realise|realize|recognise|recognize|noticed|looked at|looked into|checked) (?:that )?(?:your|you|the|this|there)\b
\b(?:i|we)(?: have|'ve)? (?:completely |totally |fully |really )?{SCAN}(?:see|can see|note|noted|know|read|hear) (?:that )?(?:your|you|the|this|there)\b
\b(?:is|are|am|'m|'re) aware (?:of|that)\b
\b(?:you're|you are|you were) (?:absolutely |completely |quite |entirely |totally )?right\b
\byou (?:have |'ve )?{SCAN}(?:mentioned|said|told us|told me|wrote|reported|explained|described|pointed out|let us know|raised)\b
\bas you (?:mentioned|said|pointed out|described|explained|noted)\b
\b(?:thanks|thank you|cheers) {SCAN}for (?:letting (?:us|me) know|telling (?:us|me)|pointing (?:this|that|it) out|flagging|reporting|raising|bringing (?:this|that|it)|highlighting|the heads-up about)\b

[thanks]
\bthank(?:s| you)\b
\bthank-you\b
\bmany thanks\b
\b(?:i|we) (?:really |truly |greatly |do )?appreciate (?:you|your|it|that|the)\b
\b(?:i'm|i am|we're|we are) (?:very |really |so )?grateful\b
\bcheers for\b

# Why it happened.
[explanation nonegate]
\bbecause\b
\bdue to\b
\bcaused by\b
\bthe (?:reason|cause)\b
\bwhat happened (?:is|was)\b
\bit turns out\b
\bturned out\b
\bas a result of\b
\b(?:a|an|the) (?:bug|glitch|fault|error|outage|problem|issue|failure|mistake|misconfiguration) (?:in|with|on|at) (?:our|the)\b
\b(?:a|the|our) (?:{W} )?{SCAN}(?:change|update|release|deployment|migration|upgrade|configuration change) (?:{W} ){0,4}(?:broke|took down|caused|failed|stopped|deleted|corrupted)\b
\b(?:servers?|system|van|truck|lorry|machine|site|app|website|network|database|oven|printer) (?:{W} )?(?:ran out|went down|crashed|broke down|failed|stopped)\b
\bmoved to a new (?:site|system|warehouse|building|provider)\b
\bwaiting (?:for|on) (?:a|the) (?:part|delivery|supplier|manufacturer|shipment|approval)\b
\b(?:we|i) (?:have |'ve )?(?:just )?(?:heard|learned|learnt|found out|discovered) (?:from|that)\b
\bthis (?:happened|occurred) (?:when|because|after|as)\b
\b(?:our|the) {SCAN}(?:system|software|app|website|site|server|servers|warehouse|team|courier|supplier|wholesaler|carrier|payment system)s? (?:had|has|was|were|went|failed|crashed|didn't|did not|mislabelled|mislabeled|sent|lost)\b
\bso that's why\b
\bwhich is why\b
\bthat's why\b
\bthis means\b
# How it went wrong, said after owning it: "it was our error: we didn't update your address".
\b(?:our|my) (?:error|mistake|fault|oversight): (?:i|we) (?:didn't|did not|forgot|failed|missed|never|hadn't|had not)\b
\b(?:real|actual|underlying) (?:fault|problem|issue|cause|reason) (?:is|was|lies)\b
\b(?:is|was) (?:where|what|why) the (?:real|actual|underlying) (?:fault|problem|issue|cause|reason)\b
# A mechanism ("the plan renews automatically") or an outside cause ("the building works next door").
\b(?:renews|renewed|charges|charged|bills|billed|expires|expired|resets|reset|locks|locked|cancels|cancelled|updates|updated|closes|closed|happens|happened) automatically\b
\bautomatically (?:renews|renewed|charges|charged|bills|billed|expires|expired|resets|locks|locked|cancels|cancelled|closes|closed)\b
\b(?:building|construction|road|engineering|maintenance) ?works\b
\b(?:strike|storm|snow|weather|flooding|power cut|power outage)s? (?:closed|cancelled|delayed|disrupted|stopped|grounded|knocked out|took out|cut off)\b
\b(?:they|the (?:{W} )?(?:supplier|manufacturer|wholesaler|garage|dealer|factory|courier|warehouse)) (?:sent|supplied|delivered|fitted|shipped|gave us) (?:us )?(?:the|a) wrong\b
# Not an explanation: a disclaimer of liability, or a cause that only names the problem again.
[mask voids=explanation]
\b(?:not|n't) (?:be )?(?:responsible|liable|accountable) for (?:any )?(?:{W} ){0,2}caused by\b
\b(?:inconvenience|disruption|delays?|trouble|problems?) caused by (?:the|this|our) (?:recent |current |ongoing |temporary )?(?:disruption|issues?|problems?|situation|incident|circumstances)\b

# A question that listens: asks for the customer's account, details, feelings or wishes.
[listening_question]
\b(?:could|can|would|will) you (?:please )?(?:tell|let|share|send|describe|explain|confirm|give|walk|show|say|clarify|repeat|help me understand)\b[^.!?\n]{0,160}\?
\bwhat (?:happened|exactly|went wrong|would|could|should|can|did|do|time|size|colour|color|date|day|address|number|email|model|version|error|message)\b[^.!?\n]{0,160}\?
\b(?:how|when|where|which|who|why) (?:did|does|do|is|are|was|were|would|can|could|should|often|long|many|much)\b[^.!?\n]{0,160}\?
[listening_question lazy]
\b(?:did|do|does|is|are|was|were|have|has) (?:you|it|the|your|this|that|anything|anyone)\b[^.!?\n]{0,160}{SCAN}\?
[listening_question]
\btell (?:me|us) (?:more|what|how|a bit|about)\b
\bmay i ask\b
\bwhich {W} (?:is|are|was|were|did|do|would|should)\b[^.!?\n]{0,160}\?
\bis there anything (?:else )?(?:you'd like|you would like|i can|we can)\b[^.!?\n]{0,160}\?
\b(?:i'd|i would|we'd|we would) (?:love|like) to (?:hear|know|understand) (?:more|what|how|about|your)\b
\bhelp (?:me|us) understand\b

# What happens next. [plan promise] is a commitment to do something later (it wants a timescale).
[plan promise statement lazy]
\b(?:i|we){WILL} (?:{W} )?(?:refund|send|resend|re-send|ship|reship|replace|call|ring|phone|email|fix|update|escalate|credit|arrange|issue|reissue|book|rebook|process|cancel|investigate|look into|look at|check|review|contact|follow up|get back|come back|chase|sort|put|add|make|deliver|pick|collect|post|courier|refund|reimburse|reverse|correct|repair|restore|reset|re-?enable|unlock|reactivate|upgrade|waive|change|schedule|reschedule|organi[sz]e|dispatch|expedite|prioriti[sz]e|keep|let you know|be in touch|personally|ensure|make sure|monitor|confirm|reach out|write|text|notify|add|apply|return|reimburse)\b
\b(?:i|we)(?:'re| are|'m| am) (?:{W} )?(?:going to|working on|fixing|investigating|looking into|reviewing|rolling out|putting in place|changing|adding|updating|retraining|training|sending|shipping|preparing|arranging|processing|replacing|rebuilding|escalating|chasing|monitoring)\b
[plan promise statement]
\b(?:my|our|the|a|an) (?:{W} )?{SCAN}(?:team|engineer|developer|manager|courier|technician|specialist|colleague|plumber|restorer|pharmacist|reader|nurse|vet|driver|electrician|agent|adviser|advisor|fitter)s? (?:will|'ll|can|are going to|is going to)\b
[plan promise statement lazy]
\b(?:will|'ll) (?:{W} )?(?:call|visit|restore|reach|run|replace|repair|contact|email|ring|collect|deliver|ship|refund|credit|review|confirm|process|show|appear)\b
[plan promise statement]
\b(?:will|'ll) be (?:with you|in your inbox|corrected|repaired|replaced|sent|ready|reviewed|back)\b
\b(?:leaves|goes out|ships|arrives|is on its way|are on their way|is on the way)\b
\b(?:i'm|we're|i am|we are) on it\b
\b(?:are|is|'re) working (?:hard )?(?:on|to)\b
\bget (?:it|this|that|them) (?:repaired|fixed|replaced|sorted|resolved|done)\b
\b(?:and|then) (?:will|'ll) (?:let you know|update you|be in touch|get back to you|call you|email you)\b
[plan promise statement lazy]
\b(?:will|'ll) (?:be )?(?:arrive|arriving|delivered|dispatched|shipped|sent|back in stock|in stock|ready|fixed|resolved|restored|credited|refunded|processed|with you)\b
[plan promise statement]
\bit (?:will|'ll) be (?:in stock|back|ready|fixed|there|with you|delivered|arriving)\b
\bwe (?:will|'ll) look into it\b
\byou (?:will|'ll) (?:receive|get|see|have)\b
[plan]
\b(?:i|we)(?: have|'ve) (?:{W} )?{SCAN}(?:moved|posted|called|spoken|emailed|held|released|rolled|taken|booked|refunded|sent|resent|shipped|replaced|fixed|updated|escalated|credited|arranged|issued|reissued|booked|rebooked|processed|cancelled|canceled|corrected|repaired|restored|reset|unlocked|reactivated|upgraded|waived|changed|scheduled|dispatched|expedited|added|applied|asked|flagged|raised|logged|reported|set up|put in place|passed|forwarded|reversed|reimbursed|created|opened|assigned|retrained|trained|reviewed|removed|blocked|prioriti[sz]ed)\b
\b(?:i|we) (?:just |also |now )?(?:rolled|moved|posted|called|emailed|released|refunded|resent|reshipped|replaced|fixed|escalated|credited|arranged|reissued|rebooked|corrected|repaired|restored|reset|unlocked|reactivated|waived|dispatched|expedited|flagged|raised|logged|retrained|reversed|reimbursed|set up|put in place)\b
\bnext steps?\b
\bhere's what (?:i|we)(?:'ll| will| are going to| have| did|'ve)\b
\b(?:to prevent|to stop|to make sure) (?:this|it|that) (?:from )?(?:happening|ever happening)\b
\bso (?:that )?(?:this|it|that) (?:doesn't|does not|won't|will not|can't|cannot|never) happen\b
\b(?:post-?mortem|root cause|five whys)\b
[plan lazy]
\b(?:has|have|was|were|is|are) (?:been )?{SCAN}(?:refunded|moved|attached|released|credited|held|corrected|sent|resent|shipped|replaced|fixed|escalated|credited|arranged|issued|reissued|rebooked|processed|cancelled|canceled|corrected|repaired|restored|reset|unlocked|reactivated|upgraded|waived|dispatched|expedited|reversed|reimbursed)\b
[mask voids=listening_question]
\b(?:does|would|will|is|can) {SCAN}(?:that|this|it) (?:work|sound|suit|okay|ok|alright|all right|acceptable|be ok|be okay)\b
[plan]
\bplease note that we also offer\b
\bwe (?:also )?(?:offer|have) (?:this|it|the same) (?:product|item|model)? ?in\b

# A date or a duration that the reply commits to (in a statement, not a question).
[timescale statement nonegate]
\b(?:within|in|under) (?:the )?(?:next |another |about |around |roughly |approximately |less than |no more than |at most |the next )?{NUM}(?: (?:to|or|-) {NUM}| ?- ?{NUM})? (?:more )?{UNIT}\b
\b(?:right|straight) away\b
\bas we speak\b
\b(?:in|by|from|until|before|during) (?:early |mid-|late )?{MONTH}\b
\b(?:within|in|under|inside) {SCAN}(?:the hour|a day|a week|a month|24h|48h|72h|\d{1,7}h)\b
\b{NUM} (?:{W} )?{UNIT} (?:from now|later|time|'s time|at most|or less|or so)\b
\b(?:another|a further|an extra|an additional) (?:{NUM} )?{UNIT}\b
\b(?:by|before|on|until|till|this|next|coming) {SCAN}(?:the )?(?:{DAY}|tomorrow|tonight|today|noon|midday|midnight|morning|afternoon|evening|end of (?:the )?(?:day|week|month|business)|eod|cob|weekend)\b
\b(?:today|tomorrow|tonight|overnight|this afternoon|this evening|this morning|this week|next week|this month|next month|end of (?:the )?(?:day|week|month|year))\b
\b(?:on|by|before|from|until|till) {SCAN}(?:the )?\d{1,2}(?:st|nd|rd|th)?(?: of)? {MONTH}\b
\b{MONTH} \d{1,2}(?:st|nd|rd|th)?\b
\b\d{1,2}(?:st|nd|rd|th)? (?:of )?{MONTH}\b
\b\d{4}-\d{2}-\d{2}\b
\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b
\b\d{1,2}(?::\d{2})? ?(?:am|pm)\b
\b\d{1,2}:\d{2}\b
\b(?:by|at|before|after|around) \d{1,2}(?::\d{2})?\b
\b(?:by|at|before|after|around) (?:noon|midday)\b
\bon (?:x|\[date\]|\{date\}|<date>) date\b
\b(?:24|48|72)(?: |-)?(?:hours?|hrs?|h)\b
\bsame[- ]day\b
\bnext (?:business |working )?day\b
\bright now\b
\bimmediately\b
\bwithin the hour\b

# Something of value that makes it right.
[remedy]
\brefund(?:s|ed|ing)?\b
\b(?:money|cash) back\b
\breimburs{WS}\b
\bcredit(?:s|ed)?\b
\bfree\b
\bon (?:us|the house)\b
\bno (?:extra )?(?:charge|cost)\b
\bat no (?:extra |additional )?(?:cost|charge)\b
\bat our (?:cost|expense)\b
\b(?:add|pay|give|send|transfer) (?:you )?(?:£|\$|€)\d{1,7}
\b(?:fee|charge|penalty|fine|cost)s? (?:has been |have been |is |was |will be )?(?:cancelled|canceled|waived|removed|reversed|dropped|refunded)\b
\bcomplimentary\b
\bdiscount(?:s|ed)?\b
\bvoucher\b
\bcoupon\b
\bgift card\b
\bgift certificate\b
\b\d{1,7} ?(?:%|percent|per cent) off\b
\b(?:\$|£|€)\d{1,7}(?:\.\d\d)? (?:off|credit|back|voucher|coupon)\b
\bupgrade(?:d)? (?:you|your)\b
\b(?:i|we)(?:'ve| have)? upgraded\b
\bwaive[ds]?\b
\bcompensat{WS}\b
\bwon't be charged\b
\bwill not be charged\b
\bnot be charged\b
\bwe'll cover\b
\bwe will cover\b
\bpay(?:ing)? for (?:the|your) (?:return|repair|taxi|hotel|meal|postage|shipping)\b
[mask voids=remedy]
\bfeel free\b
\bfree to\b
\b(?:that|this|it)(?: one)?(?:'s| is| was) on (?:us|me)\b
\brefunds? (?:are|is|will be|were) (?:not |n't )?(?:possible|available|allowed|given|issued|permitted)\b
\bfree time\b
\btoll[- ]free\b
\b{W}-free\b
\bfree (?:of|from) (?:errors|bugs|charge-backs)\b
\bcredit card\b
\bcredit check\b
\bcredit score\b
\bcredit limit\b
\bcredit rating\b
\bstore credit card\b
\brefund policy\b
\brefund request form\b

# Invites the customer to answer or come back.
[invitation]
\b(?:please )?(?:do )?let (?:me|us) know (?:if|whether|what|how|when|which|should|about|your|and)\b
\bfeel free to (?:reply|contact|call|email|message|get in touch|reach|ask|let|write|ring|text|come back|drop|phone)\b
\b(?:please )?(?:reply|respond|write back|call|email|contact us|get back to (?:me|us)) (?:here |to me |to us )?(?:if|whenever|any time|anytime)\b
\bis there anything else\b
\b(?:don't|do not) hesitate\b
\b(?:just )?(?:reply|respond|write back|answer) (?:to )?(?:this|here|me|directly|any time|anytime)\b
\b(?:get|be|stay|keep) in touch\b
\breach (?:out|me|us)\b
\b(?:my|our) (?:direct )?{SCAN}(?:line|number|phone|email|extension) (?:is|:)\b
\b(?:call|email|message|text|ring|phone) (?:me|us) (?:directly|any time|anytime|on|at|back|if|whenever)\b
\bif (?:you have|there are|there's|there is) (?:any|anything)\b
\bif (?:you need|you'd like|you would like|anything else|that doesn't|this doesn't|it doesn't)\b
\b(?:does|would|will|is) (?:that|this|it) (?:{W} )?(?:work|sound|suit|okay|ok|alright|all right|acceptable)\b[^.!?\n]{0,60}\?
\bi'm here (?:if|to|for|whenever)\b
\bi'm (?:happy|glad) to (?:help|talk|chat|discuss|answer)\b
\bhappy to help (?:further|with anything|if)\b
\bwe'd love to hear (?:from|back)\b
\blooking forward to hearing\b
\bhear (?:back )?from you\b
