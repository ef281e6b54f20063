# English language pack: anti-patterns. excuse_without_apology and the "promise without a date" half of
# vague_promise are derived from the elements (docs/coach.md); boilerplate comes from the message index.
@language en

# Blaming the customer.
[blame_customer]
\byou (?:must|might|may) (?:have|'ve) (?:misused|mis-used|broken|dropped|damaged|entered|typed|selected|clicked|deleted|forgotten|missed|ignored|misread|misunderstood|done|used|set|changed|made|not)\b
\byou (?:should|could|ought to) (?:have|'ve) (?:read|checked|followed|called|contacted|told|entered|known|looked|noticed|ordered|asked|been)\b
\byou (?:failed|forgot|neglected|omitted) to\b
\byou (?:didn't|did not|never) (?:read|follow|check|tell us|inform us|enter|select|update|confirm|specify|notice|look|pay)\b
\b(?:this|that|it) (?:is|was|'s) (?:entirely |completely |totally |clearly |really )?(?:your|the customer's|the user's) (?:own )?(?:fault|mistake|error|responsibility|problem|doing)\b
\b(?:your|the customer's) (?:own )?(?:fault|mistake|error)\b
\buser error\b
\boperator error\b
\bpebkac\b
\bas (?:you were|clearly|was clearly|is clearly|stated|explained) (?:told|stated|explained|mentioned|informed|written|shown)\b
\bclearly (?:stated|states|mentioned|explained|written|shown|marked|labelled|labeled|displayed)\b
\bif you (?:had|'d) (?:read|followed|checked|looked|paid attention|bothered|listened|called)\b
\b(?:customers|users|clients|people|you) (?:just |simply )?(?:aren't|are not|don't|do not|weren't|were not) (?:using|use|reading|read|following|follow|doing)\b[^.!?\n]{0,30}\b(?:right|correctly|properly|as intended|as instructed)\b
\b(?:customers|users|people) (?:who|that) (?:don't|do not|can't|cannot) (?:read|follow)\b
\byou (?:changed|entered|typed|selected|chose|picked|gave us|provided|set|cancelled|canceled|clicked|moved|ordered|booked)\b[^.!?\n]{0,60}\b(?:and|so|,) (?:this|that|which|it) (?:caused|led to|resulted in|is why|created|triggered)\b
\byou (?:entered|typed|selected|chose|picked|gave us|provided|used|put in|ordered|booked) (?:the |an |a |your )?(?:wrong|incorrect|invalid|old|outdated|expired)\b
\b(?:that|this) (?:can't|cannot|couldn't|could not) (?:have )?happen(?:ed)?\b
\bmisused\b
\bmisuse\b
\bon your (?:end|side)\b
\b(?:because|since|as) you (?:didn't|did not|failed|forgot|never|changed|entered|chose|selected|ignored)\b
\bthe (?:system|records?|logs?|tracking) (?:shows?|says?|indicates?) (?:that )?you (?:didn't|did not|never|haven't|have not|hadn't)\b
\byou (?:haven't|have not|hadn't|had not) (?:actually )?(?:made|placed|paid|submitted|completed)\b
\bnothing wrong (?:with|on) our (?:end|side)\b
\byou (?:{W}ed|added|chose|selected|set|sent|made|did) (?:{W} ){0,4}yourself\b
\byou (?:agreed|accepted|consented|signed up) to\b
\b(?:your|the customer's) (?:admin|team|staff|company|it department|employer|bank) should have\b
\b(?:records|system|logs?|tracking) (?:show|shows|say|says|indicate|indicates) (?:that )?you (?:selected|chose|agreed|entered|changed|picked|ordered)\b
\balready (?:scratched|broken|damaged|cracked|faulty|opened|used|missing|dented) (?:when|before)\b
[blame_customer voids=explanation]
\byou (?:must|might|may) (?:have|'ve) [^.!?\n]{0,80}\b{SCAN}(?:which is why|that's why|so that's why|which caused|which meant)\b
\bbecause (?:you|your) (?:[\w-]{1,16} ){0,3}(?:late|slow|wrong|old|outdated|didn't|did not|forgot|sent|changed|ignored|failed|is too|are too|was too|were too)\b

# Not blame: preventing a repeat.
[mask voids=blame_customer]
\b(?:can't|cannot|won't|will not|doesn't|does not) happen (?:{W} ){0,4}again\b
\b(?:so|to make sure|to ensure|ensure|make sure) (?:that )?(?:this|that|it) (?:can't|cannot|won't|will not|doesn't|does not)\b

# Regret made conditional or hedged: not an apology.
[conditional_apology voids=apology,empathy]
\b{SORRY} (?:{W} )?if\b
\b{SORRY} (?:{W} )?for any\b
\b{SORRY} (?:{W} )?(?:to|that) (?:you|anyone) (?:may|might|could) have\b
\b(?:if|in case) (?:you|anyone) (?:were|was|felt|have been|has been|'ve been|are|feel|may have been|might have been) (?:{W} )?(?:inconvenienced|upset|offended|disappointed|affected|hurt|troubled|bothered|annoyed)\b
\bif (?:this|that|it|we) (?:has |have )?(?:caused|created|offended|upset|inconvenienced)\b
\b(?:any|whatever) (?:inconvenience|trouble|confusion|frustration|upset|distress|offense|offence)s? (?:this|that|it|which)? ?(?:may|might|could|can) {SCAN}(?:have )?(?:caused|created|been caused|arisen)\b
\b{SORRY} (?:{W} ){0,2}to the extent\b

# Distancing: regret for the customer's feelings or for what "happened", passive voice that hides who erred.
[distancing voids=apology]
\b{SORRY} (?:{W} )?(?:that )?(?:you|you're|you are) {SCAN}(?:feel|felt|feeling|were upset|are upset|'re upset|are unhappy|'re unhappy|were unhappy|are disappointed|were disappointed|see it|think|thought|perceive|perceived|took it)\b
\b{SORRY} (?:{W} )?(?:that )?(?:this|it|that|all this|what) (?:has )?(?:happened|occurred|happens)\b
\b{SORRY} (?:{W} )?for what (?:happened|occurred)\b
\b{SORRY} (?:{W} )?(?:about|for) (?:the|this|that) situation\b
\b(?:mistakes|errors|a mistake|an error|an oversight|errors of judgement) {SCAN}(?:were|was|have been|has been|had been) made\b
\b(?:were|was|have been|has been) (?:overlooked|mishandled|mislaid|misplaced|misrouted|misdirected)\b
\b(?:it|this|that|the {W}) (?:was|has been|got) (?:sent|shipped|delivered|charged|processed|cancelled|canceled) (?:out )?(?:to the wrong|in error|by mistake|incorrectly|wrongly)\b
\bthe wrong {W} (?:was|were|went|got) (?:sent|shipped|delivered|out|charged|processed)\b
\b(?:these things|things like this|stuff|mistakes) happens?\b
\bit happens\b
\b(?:things|mistakes) (?:can |do |will )?happen\b
\bthe company (?:regrets|apologi[sz]es|is sorry)\b
\b(?:we|i) {INTENS}regrets? (?:that|any|the)\b
\b(?:some|many|a few|several|all) (?:customers|users|viewers|guests|passengers|members|accounts) (?:were|have been|may have been|was) (?:affected|impacted|disrupted)\b
\bit is regrettable\b
\bregrettably, (?:this|it|there)\b
\b(?:the|your) {SCAN}(?:order|package|parcel|item|payment|refund|email|booking|request) (?:was|were|has been|got) (?:somehow )?(?:lost|mislaid|misplaced|damaged|delayed|missed|overlooked|mishandled)\b

# Minimizing the customer's problem.
[minimizing]
\b(?:just|only|merely) (?:a|an|one) {SCAN}(?:small|slight|minor|little|tiny|short|brief|temporary|few|bit|couple)\b
\b(?:a|an|the|this|that) (?:very |really |quite )?{SCAN}(?:slight|minor|small|tiny|little|short|brief) (?:delay|issue|problem|hiccup|inconvenience|glitch|mix-up|mixup|error|mistake|oversight|blip|setback|misunderstanding|wait)\b
\b(?:no|not a|not such a|not that big a|not really a) big deal\b
\bnot (?:that|so|too|very) (?:bad|serious|big|important|long|much|significant)\b
\bmerely\b
\bnothing to (?:worry|be upset|get upset|be concerned|make a fuss) about\b
\bit(?:'s| is| was) only (?:a|an|one|\d)\b
\bonly (?:a few|\d{1,7}) (?:minutes|hours|days|pounds|dollars|euros|cents|pence)\b
\b(?:a|one) (?:few|couple of) (?:minutes|hours|days)'? (?:delay|late|wait)\b
\bonly (?:{W} ){0,2}for (?:a (?:few|couple of)|\d{1,7}|one|two|a) (?:minutes|hours|seconds|moments)\b
\bbarely (?:late|noticeable|a delay)\b
\bhardly (?:late|a delay|a problem|an issue|noticeable)\b
\b(?:a|the) bit of a (?:delay|wait|mix-up|hiccup)\b
\bsurely (?:that's|this is|it's) not\b
\bcalm down\b
\boverreact{WS}\b

# Shifting blame to a third party.
[third_party_blame]
\b(?:the|your|their) (?:{W} )?{THIRD}(?:'s|s'|’s)? (?:fault|mistake|error|problem|responsibility)\b
\b(?:fault|responsibility) of (?:the|our|your) (?:{W} )?{THIRD}\b
\b(?:blame|fault) (?:lies|lay|rests|is) with (?:them|the {W}|our {W})\b
\bnot (?:with )?us\b
\bproblem with (?:your|the) (?:{W} )?{THIRD}\b
\b(?:the|our|your|their) {THIRD} (?:{W} ){0,3}(?:is|was|are|were|'s) {SCAN}(?:entirely |completely |totally |solely |fully )?(?:to blame|at fault|responsible for (?:this|the|that|your)|the problem|the cause|to be blamed)\b
\b(?:blame|fault) (?:lies|lay|rests) (?:with|on) (?:the|our|your) {THIRD}\b
\b(?:blame|it's on|it is on|that's on|down to) (?:the|our|your) {THIRD}\b
\b(?:the|our) {THIRD} (?:messed|screwed|mixed|fouled) (?:it |this |things )?up\b
\b(?:the|our) {SCAN}{THIRD} (?:let (?:us|you) down|dropped the ball|failed to|forgot to|lost|broke|damaged|didn't|did not|never)\b
\bout of our hands\b
\bbeyond our control\b
\boutside (?:of )?our control\b
\bnot (?:our|my) (?:fault|mistake|problem|responsibility|doing)\b
\bnothing (?:we|i) (?:could|can|could've|could have) (?:have )?(?:done|do)\b
\bnot (?:something|anything) (?:we|i) (?:can|could) control\b
\b(?:you'll|you will|you'd|you would|you) {SCAN}(?:need|have|has|must|should) (?:to )?(?:contact|take it up with|speak to|complain to|call|chase|write to|ask) (?:the|your) {THIRD}\b
\b(?:take|complain) (?:it|this|that) (?:up )?(?:with|to) (?:the|your) {THIRD}\b
\b(?:is|was) (?:down to|on) (?:the|our|your) {THIRD}\b
\b(?:the|our|your) {THIRD} caused\b
[third_party_blame nonegate]
\bcaused by (?:the|our|your) (?:{W} )?{THIRD}\b

# Stock promises with no date.
[vague_promise vague]
\b(?:as soon as (?:possible|we can|we're able|we are able)|asap)\b
\bin due course\b
\bat some (?:point|stage)\b
\bsometime\b
\bsome time soon\b
\beventually\b
\bwhen we (?:can|get (?:a chance|to it|round to it|around to it)|have time)\b
\bget (?:round|around|back) to (?:it|you) (?:soon|eventually|sometime|later|when)\b
\b(?:shortly|soon|in the near future|at a later date|in the coming days|in the coming weeks)\b
