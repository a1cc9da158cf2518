using System.Security.Cryptography;
using Aspire.Hosting.Publishing;

namespace Bridge.AppHost;

/// <summary>
/// A generated value shaped like Twilio's: an optional prefix and lower-case hex digits (an auth token is 32 hex
/// digits, an account SID <c>AC</c> and 32), so that a local run's values pass the same checks as real ones.
/// </summary>
internal sealed class HexParameterDefault(string prefix, int hexDigits) : ParameterDefault
{
    public override string GetDefaultValue() => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(hexDigits / 2));

    // Never published (see AddTwilioParameter): a deployment supplies its account's own values.
    public override void WriteToManifest(ManifestPublishingContext context)
    {
    }
}

internal static class TwilioParameterExtensions
{
    /// <summary>
    /// A Twilio account value: locally generated once (prefix + 32 hex digits) and kept in the AppHost's user secrets;
    /// published without a default, since a deployment supplies its real account's value.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddTwilioParameter(this IDistributedApplicationBuilder builder, string name, string prefix, bool secret) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddParameter(name, secret: secret)
            : builder.AddParameter(name, new HexParameterDefault(prefix, 32), secret: secret, persist: true);
}
