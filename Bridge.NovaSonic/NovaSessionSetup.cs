namespace Bridge.NovaSonic;

/// <summary>What one conversation needs beyond the configured defaults.</summary>
public sealed record NovaSessionSetup
{
    /// <summary>The rate of the PCM passed to <see cref="NovaSonicSession.SendAudio"/>: 8000 or 16000.</summary>
    public int InputSampleRate { get; init; } = 16_000;

    /// <summary>The rate of the PCM in <see cref="NovaAudioOutput"/>: 8000, 16000 or 24000.</summary>
    public int OutputSampleRate { get; init; } = 24_000;

    public IReadOnlyList<NovaTool> Tools { get; init; } = [];

    /// <summary>Overrides <c>Conversation:SystemPrompt</c> for this call (a persona, say).</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Overrides <c>Conversation:Voice</c> for this call.</summary>
    public string? Voice { get; init; }

    /// <summary>Overrides <c>Conversation:Greeting</c> for this call; empty for none.</summary>
    public string? Greeting { get; init; }

    /// <summary>Overrides <c>Conversation:EndpointingSensitivity</c> (HIGH, MEDIUM, LOW) for this call.</summary>
    public string? EndpointingSensitivity { get; init; }

    /// <summary>Override <c>Conversation:MaxTokens</c>, <c>TopP</c> and <c>Temperature</c> for this call.</summary>
    public int? MaxTokens { get; init; }

    public double? TopP { get; init; }

    public double? Temperature { get; init; }

    /// <summary>Sent under Nova 2's SYSTEM_SPEECH role after the system prompt; ignored by the first Nova Sonic.</summary>
    public string? SystemSpeech { get; init; }

    /// <summary>Prior conversation to continue (transferred calls); the session's own renewals need none.</summary>
    public IReadOnlyList<NovaTurn> History { get; init; } = [];

    /// <summary>The conversation settings with this call's overrides applied.</summary>
    internal NovaSonicOptions ApplyTo(NovaSonicOptions configured) => new()
    {
        Voice = Voice ?? configured.Voice,
        SystemPrompt = SystemPrompt ?? configured.SystemPrompt,
        Greeting = configured.Greeting,
        EndpointingSensitivity = EndpointingSensitivity ?? configured.EndpointingSensitivity,
        MaxTokens = MaxTokens ?? configured.MaxTokens,
        TopP = TopP ?? configured.TopP,
        Temperature = Temperature ?? configured.Temperature,
        RenewStreamAfter = configured.RenewStreamAfter,
        RenewalQuietWait = configured.RenewalQuietWait,
    };

    internal void Validate()
    {
        if (InputSampleRate is not (8_000 or 16_000))
        {
            throw new ArgumentException("The model's input rate must be 8000 or 16000.", nameof(InputSampleRate));
        }
        if (OutputSampleRate is not (8_000 or 16_000 or 24_000))
        {
            throw new ArgumentException("The model's output rate must be 8000, 16000 or 24000.", nameof(OutputSampleRate));
        }
    }
}

/// <summary>A tool the model may call. <see cref="InputSchemaJson"/> is a JSON schema, as text.</summary>
public sealed record NovaTool(string Name, string Description, string InputSchemaJson);

/// <summary>Who said something in the conversation.</summary>
public enum NovaRole
{
    User,
    Assistant,
}

/// <summary>One finished utterance of the conversation (what the history of a new stream is made of).</summary>
public sealed record NovaTurn(NovaRole Role, string Text);
