using System.Security.Cryptography;

namespace Bridge.TwilioStandIn.Twilio;

/// <summary>Twilio resource identifiers: a two-letter prefix and 32 lower-case hex digits.</summary>
public static class TwilioSid
{
    public static string NewCallSid() => New("CA");

    public static string NewStreamSid() => New("MZ");

    public static bool IsAccountSid(string value) =>
        value.Length == 34 && value.StartsWith("AC", StringComparison.Ordinal) && value.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") is false;

    private static string New(string prefix) =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
