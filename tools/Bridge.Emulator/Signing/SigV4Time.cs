using System.Globalization;

namespace Bridge.Emulator.Signing;

internal static class SigV4Time
{
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    public const string DateFormat = "yyyyMMdd";

    public static bool TryParseAmzDate(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, AmzDateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static string AmzDate(DateTimeOffset value) => value.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);
}
