using Bridge.Agents.Prompts;
using NodaTime;

namespace Bridge.Agents.Profiles;

/// <summary>
/// One validated agent: which numbers it answers and how it converses. Settings left out (null) take the media
/// worker's <c>Conversation:*</c> values.
/// </summary>
public sealed record AgentProfile
{
    public required string Name { get; init; }

    /// <summary>The E.164 numbers (Twilio's <c>To</c>) it answers.</summary>
    public IReadOnlyList<string> Numbers { get; init; } = [];

    /// <summary>Answers every number no agent lists.</summary>
    public bool IsDefault { get; init; }

    public PromptTemplate? SystemPrompt { get; init; }

    /// <summary>An instruction sent when the call starts, so the agent speaks first.</summary>
    public PromptTemplate? Greeting { get; init; }

    public string? Voice { get; init; }

    /// <summary>A locale (<c>fr-FR</c>) the agent is told to speak: Nova Sonic has no language parameter.</summary>
    public string? Language { get; init; }

    /// <summary>Text sent under Nova 2's SYSTEM_SPEECH role after the system prompt.</summary>
    public string? SystemSpeech { get; init; }

    /// <summary>HIGH, MEDIUM or LOW.</summary>
    public string? EndpointingSensitivity { get; init; }

    public InferenceSettings Inference { get; init; } = new(null, null, null);

    public required DateTimeZone TimeZone { get; init; }

    /// <summary>The tools the model is given: built-in names and HTTP tools of the document.</summary>
    public IReadOnlyList<string> Tools { get; init; } = [];

    /// <summary>Where <c>transfer_call</c> may send the caller, by name: an E.164 number or a sip: URI.</summary>
    public IReadOnlyDictionary<string, string> TransferDestinations { get; init; } = new Dictionary<string, string>();

    /// <summary>The longest a call to this agent may last (the worker's own limit still applies).</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>The variables an outbound call must give this agent (<c>{{patientName}}</c> in its prompts).</summary>
    public IReadOnlySet<string> Variables { get; init; } = new HashSet<string>();

    /// <summary>
    /// What an outbound call leaves on an answering machine after the beep (TwiML <c>&lt;Say&gt;</c>); null: the call
    /// is hung up when a machine answers.
    /// </summary>
    public PromptTemplate? VoicemailMessage { get; init; }
}

/// <summary>Nova's inferenceConfiguration; null values take <c>Conversation:*</c>.</summary>
public sealed record InferenceSettings(int? MaxTokens, double? TopP, double? Temperature);
