using System.Text.RegularExpressions;

namespace Bridge.Agents;

/// <summary>
/// The variables an outbound call is placed with (<c>{"patientName": "Ana"}</c>), as the agent's profile declares them
/// (<c>"variables"</c>), and how they travel to the worker: one signed stream parameter each, <c>var.{name}</c>.
/// Twilio allows about 500 characters per <c>&lt;Parameter&gt;</c> (name and value), hence the bounds.
/// </summary>
public static partial class OutboundVariables
{
    public const string ParameterPrefix = "var.";
    public const int MaxCount = 10;
    public const int MaxNameLength = 32;
    public const int MaxValueLength = 300;

    /// <summary>What a voicemail message may hold: Twilio reads it out with &lt;Say&gt; after the beep.</summary>
    public const int MaxVoicemailLength = 1_000;

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Adds each variable to <paramref name="streamParameters"/> as <c>var.{name}</c>.</summary>
    public static void AddTo(IDictionary<string, string> streamParameters, IReadOnlyDictionary<string, string> variables)
    {
        foreach (var (name, value) in variables)
        {
            streamParameters[ParameterPrefix + name] = value;
        }
    }

    /// <summary>The variables among a call's (verified) stream parameters.</summary>
    public static IReadOnlyDictionary<string, string> FromStreamParameters(IReadOnlyDictionary<string, string> streamParameters) =>
        streamParameters
            .Where(p => p.Key.StartsWith(ParameterPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[ParameterPrefix.Length..], p => p.Value, StringComparer.Ordinal);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]{0,31}$")]
    private static partial Regex NamePattern();
}
