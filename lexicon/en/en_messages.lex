# English language pack: what the coach says about each finding and each missing element.
@language en

@reason blame_customer This puts the fault on the customer. Even when they erred, blame makes them leave; making it right keeps them.
@suggest blame_customer Drop the blame and say what you will do: "Let's get this sorted: I've ..." If they need to do something differently, offer it as help, not as fault.
@reason excuse_without_apology An explanation with no apology reads as an excuse: the customer hears why it was not your problem.
@suggest excuse_without_apology Start with a plain apology and ownership ("I'm sorry, we got this wrong"), then explain briefly and say how it will be fixed.
@reason conditional_apology "Sorry if" or "for any inconvenience" doubts that anything went wrong, so it is not an apology.
@suggest conditional_apology Apologise for the specific thing without conditions: "I'm sorry we sent your order to the wrong address."
@reason distancing This regrets what "happened" or how the customer feels, in words where nobody did anything: it keeps the mistake at arm's length.
@suggest distancing Use personal pronouns and name the mistake: "I'm sorry we made this mistake" or "I apologise that I mixed up your order."
@reason minimizing Calling the problem small tells the customer their frustration is out of proportion.
@suggest minimizing Describe the problem as the customer lived it and let them judge its size: "Your order is five days late."
@reason third_party_blame To the customer you are responsible for your suppliers, couriers and systems; pointing at them sounds like shrugging.
@suggest third_party_blame Own it for them: "We chose this courier and it let you down; here is what I've done about it." Then chase the third party yourself.
@reason vague_promise A promise with no time ("soon", "as soon as possible", "we'll look into it") cannot be relied on or followed up.
@suggest vague_promise Give a date or a duration you can keep: "by Thursday", "within 48 hours", and say when you will update them.
@reason boilerplate This nearly repeats a message already sent (to this customer, or to many customers at once) with nothing personal in it; customers spot macros.
@suggest boilerplate Write to this customer about this case: what happened to their order, what you have done since your last message, what happens next and when.

@missing acknowledgement Show you have understood the concern: restate the customer's problem in your own words.
@missing empathy Recognise how it felt: "That must have been frustrating, especially before your trip."
@missing apology Apologise plainly and early: "I'm sorry."
@missing ownership Take responsibility in the first person: "We made a mistake" or "That was my error."
@missing thanks Thank the customer, for telling you, for their patience, or for their business.
@missing explanation Say briefly and honestly what went wrong.
@missing listening_question Ask what you need to know, and how they feel: "Could you tell me what happened when you tried to check in?"
@missing plan Say what happens next and who does it: "I've sent a replacement" or "I will call you".
@missing timescale Give a date or a duration: "by Friday", "within 24 hours".
@missing remedy Make it right with something of value: a refund, a credit, a free item, a discount or an upgrade.
@missing invitation Invite a reply: "Does that work for you? Just reply to this email."
