using System.Globalization;
using NodaTime;

namespace Bridge.Agents.Prompts;

/// <summary>The values of a call's prompt variables, fixed when the call starts.</summary>
public sealed class PromptVariables
{
    public const string Caller = "caller";
    public const string Called = "called";
    public const string Agent = "agent";
    public const string LocalTime = "localTime";
    public const string TimeZone = "timeZone";

    /// <summary>Every variable a template may use.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal) { Caller, Called, Agent, LocalTime, TimeZone };

    private readonly Dictionary<string, string> _values;
    private readonly IReadOnlyDictionary<string, string> _outbound;

    /// <param name="caller">The caller's number (Twilio's From), or empty when withheld.</param>
    /// <param name="called">The number the caller dialled (Twilio's To).</param>
    /// <param name="now">The call's start.</param>
    /// <param name="outbound">The variables an outbound call was placed with; a declared one a call lacks reads "unknown".</param>
    public PromptVariables(string caller, string called, string agent, DateTimeOffset now, DateTimeZone zone, IReadOnlyDictionary<string, string>? outbound = null)
    {
        _outbound = outbound ?? new Dictionary<string, string>();
        var local = Instant.FromDateTimeOffset(now).InZone(zone);
        _values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Caller] = caller.Length > 0 ? caller : "unknown",
            [Called] = called,
            [Agent] = agent,
            // "Tuesday 14 January 2026, 09:30": a sentence the model can read out; the invariant culture's names are English.
            [LocalTime] = local.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture),
            [TimeZone] = zone.Id,
        };
    }

    public string this[string variable] =>
        _values.TryGetValue(variable, out var value) ? value : _outbound.GetValueOrDefault(variable) ?? "unknown";
}
