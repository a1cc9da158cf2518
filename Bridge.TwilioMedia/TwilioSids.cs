namespace Bridge.TwilioMedia;

/// <summary>
/// Twilio's resource identifiers: a two-letter prefix (AC account, CA call, MZ media stream) and 32 hex digits. A
/// start whose SIDs are not of this form is refused before any of them is logged, traced or put into a URL.
/// </summary>
public static class TwilioSids
{
    public const string Account = "AC";
    public const string Call = "CA";
    public const string Stream = "MZ";

    public static bool Is(string prefix, string? value) =>
        value is { Length: 34 } && value.StartsWith(prefix, StringComparison.Ordinal) && !value.AsSpan(2).ContainsAnyExcept(HexDigits);

    private const string HexDigits = "0123456789abcdefABCDEF";
}
