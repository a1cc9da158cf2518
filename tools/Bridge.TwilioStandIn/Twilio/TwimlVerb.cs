namespace Bridge.TwilioStandIn.Twilio;

/// <summary>One instruction of a TwiML document, as far as the simulator follows it.</summary>
public abstract record TwimlVerb;

public sealed record SayVerb(string Text) : TwimlVerb;

public sealed record PlayVerb(string Url) : TwimlVerb;

public sealed record PauseVerb(TimeSpan Length) : TwimlVerb;

/// <summary>A transfer: the simulator reports where Twilio would dial and ends its part of the call there.</summary>
public sealed record DialVerb(string Target) : TwimlVerb;

public sealed record HangupVerb : TwimlVerb;

public sealed record RejectVerb : TwimlVerb;

public sealed record RedirectVerb(Uri Url, HttpMethod Method) : TwimlVerb;

/// <summary><c>&lt;Connect action method&gt;&lt;Stream …/&gt;&lt;/Connect&gt;</c>: a bidirectional media stream.</summary>
public sealed record ConnectStreamVerb(Uri? Action, HttpMethod ActionMethod, StreamNoun Stream) : TwimlVerb;

/// <summary>A verb (or a &lt;Connect&gt; noun) the simulator does not act on; it says so and moves on.</summary>
public sealed record UnsupportedVerb(string Name) : TwimlVerb;

/// <summary>The <c>&lt;Stream&gt;</c> noun: where to open the WebSocket and what to pass to it.</summary>
public sealed record StreamNoun(
    string Url,
    string? Name,
    Uri? StatusCallback,
    HttpMethod StatusCallbackMethod,
    IReadOnlyList<KeyValuePair<string, string>> Parameters);
