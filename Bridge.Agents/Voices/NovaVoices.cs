namespace Bridge.Agents.Voices;

/// <summary>A Nova 2 Sonic voice and the locales it was made for.</summary>
public sealed record NovaVoice(string Id, IReadOnlyList<string> Locales, bool Polyglot);

/// <summary>
/// The 16 voices of Nova 2 Sonic with their locales, as AWS's Nova 2 user guide lists them ("Language support and
/// multilingual capabilities"). Every voice may speak every supported language; matthew and tiffany are the ones
/// named polyglot. Sources in docs/agents.md.
/// </summary>
public static class NovaVoices
{
    public static readonly IReadOnlyList<NovaVoice> All =
    [
        new("tiffany", ["en-US"], Polyglot: true),
        new("matthew", ["en-US"], Polyglot: true),
        new("amy", ["en-GB"], Polyglot: false),
        new("olivia", ["en-AU"], Polyglot: false),
        new("kiara", ["en-IN", "hi-IN"], Polyglot: false),
        new("arjun", ["en-IN", "hi-IN"], Polyglot: false),
        new("ambre", ["fr-FR"], Polyglot: false),
        new("florian", ["fr-FR"], Polyglot: false),
        new("beatrice", ["it-IT"], Polyglot: false),
        new("lorenzo", ["it-IT"], Polyglot: false),
        new("tina", ["de-DE"], Polyglot: false),
        new("lennart", ["de-DE"], Polyglot: false),
        new("lupe", ["es-US"], Polyglot: false),
        new("carlos", ["es-US"], Polyglot: false),
        new("carolina", ["pt-BR"], Polyglot: false),
        new("leo", ["pt-BR"], Polyglot: false),
    ];

    /// <summary>The voice ids, for validating a configured voice.</summary>
    public static readonly IReadOnlySet<string> Ids = All.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>The languages Nova 2 Sonic speaks, by locale, with the name an instruction to the model uses.</summary>
    public static readonly IReadOnlyDictionary<string, string> Languages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["en-US"] = "American English",
        ["en-GB"] = "British English",
        ["en-AU"] = "Australian English",
        ["en-IN"] = "Indian English",
        ["fr-FR"] = "French",
        ["it-IT"] = "Italian",
        ["de-DE"] = "German",
        ["es-US"] = "Spanish",
        ["pt-BR"] = "Brazilian Portuguese",
        ["hi-IN"] = "Hindi",
    };

    public static string List => string.Join(", ", All.Select(v => v.Id));
}
