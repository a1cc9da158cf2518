using System.Globalization;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.AspNetCore.Http;

namespace Bridge.TwilioStandIn.Outbound;

/// <summary>
/// A <c>POST /2010-04-01/Accounts/{AccountSid}/Calls.json</c> as Twilio reads it: the parameters a bridge sends, checked
/// the way Twilio checks them (its error codes: 21201 no To, 21211 invalid To, 21213 no From, 21212 invalid From,
/// 21205 a bad Url).
/// </summary>
public sealed record PlacedCall(
    string To,
    string From,
    Uri Url,
    HttpMethod Method,
    Uri? StatusCallback,
    HttpMethod StatusCallbackMethod,
    IReadOnlySet<string> StatusCallbackEvents,
    string? MachineDetection,
    bool AsyncAmd,
    Uri? AsyncAmdStatusCallback,
    TimeSpan Timeout)
{
    public static PlacedCall Read(IFormCollection form)
    {
        var to = Required(form, "To", 21201, "No 'To' number is specified");
        if (!IsPhoneNumber(to))
        {
            throw new TwilioCallException(21211, $"The 'To' number {to} is not a valid phone number.");
        }
        var from = Required(form, "From", 21213, "No 'From' number is specified");
        if (!IsPhoneNumber(from))
        {
            throw new TwilioCallException(21212, $"The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID.");
        }
        if (form["Twiml"].ToString().Length > 0)
        {
            throw new TwilioCallException(0, "The stand-in places calls with a Url only (Twiml is not simulated)");
        }
        var url = ReadUrl(form, "Url", 21205) ?? throw new TwilioCallException(21205, "Url parameter is required.");
        var detection = form["MachineDetection"].ToString() is { Length: > 0 } mode ? mode : null;
        if (detection is not (null or "Enable" or "DetectMessageEnd"))
        {
            throw new TwilioCallException(0, $"MachineDetection must be Enable or DetectMessageEnd, not '{detection}'");
        }
        var asyncAmd = string.Equals(form["AsyncAmd"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        var timeout = int.TryParse(form["Timeout"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? Math.Clamp(seconds, 5, 600) : 60;
        return new PlacedCall(
            to,
            from,
            url,
            ReadMethod(form, "Method"),
            ReadUrl(form, "StatusCallback", 0),
            ReadMethod(form, "StatusCallbackMethod"),
            form["StatusCallbackEvent"].SelectMany(e => (e ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal),
            detection,
            asyncAmd,
            ReadUrl(form, "AsyncAmdStatusCallback", 0),
            TimeSpan.FromSeconds(timeout));
    }

    private static string Required(IFormCollection form, string name, int code, string message) =>
        form[name].ToString() is { Length: > 0 } value ? value : throw new TwilioCallException(code, message);

    private static Uri? ReadUrl(IFormCollection form, string name, int code) =>
        form[name].ToString() is not { Length: > 0 } text ? null
            : Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url
            : throw new TwilioCallException(code, $"{name} '{text}' is not a valid URL.");

    private static HttpMethod ReadMethod(IFormCollection form, string name) =>
        form[name].ToString().ToUpperInvariant() is "GET" ? HttpMethod.Get : HttpMethod.Post;

    private static bool IsPhoneNumber(string number) =>
        number.Length is >= 8 and <= 16 && number[0] == '+' && number.AsSpan(1).ContainsAnyExceptInRange('0', '9') is false;
}
