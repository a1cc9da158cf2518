using System.CommandLine;
using System.CommandLine.Parsing;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;

namespace Bridge.CallSimulator.Cli;

/// <summary>Options both commands share, with their parsing and checks.</summary>
public static class CommonOptions
{
    public const string DefaultWebhookUrl = "http://localhost:5080/webhook";

    public static Option<Uri> WebhookUrl() => new("--url", "-u")
    {
        Description = "The voice webhook Twilio would call (the api's /webhook; the default is the api's local launch profile).",
        DefaultValueFactory = _ => new Uri(DefaultWebhookUrl),
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }
            result.AddError($"--url must be an absolute http(s) URL, not '{text}'.");
            return null;
        },
    };

    public static Option<string?> AuthToken() => new("--auth-token")
    {
        Description = $"The auth token to sign with. Default: ${AuthTokenSource.EnvironmentVariable}, else the AppHost's " +
                      $"user secret {AuthTokenSource.SecretKey} (what a local 'dotnet run --project Bridge.AppHost' uses).",
    };

    public static Option<string> AccountSid() => new("--account-sid")
    {
        Description = "The account SID sent in every request (AC + 32 hex digits).",
        DefaultValueFactory = _ => CallSimulationOptions.DefaultAccountSid,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<string>() is { } sid && !TwilioSid.IsAccountSid(sid))
                {
                    result.AddError("--account-sid must be AC followed by 32 hex digits.");
                }
            },
        },
    };

    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, TimeSpan max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = "time",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (!Durations.TryParse(text, out var value))
            {
                result.AddError($"{name} must be a duration like 30s, 1.5s, 250ms or 2m, not '{text}'.");
            }
            else if (value > max)
            {
                result.AddError($"{name} must be at most {max}.");
            }
            return value;
        },
    };

    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Log every step, including each mark and clear.",
    };

    /// <summary>The token, or null after printing where it was looked for.</summary>
    public static AuthTokenSource.Found? ResolveAuthToken(ParseResult parse, Option<string?> option, TextWriter error)
    {
        var secrets = AuthTokenSource.DefaultUserSecretsFile();
        var found = AuthTokenSource.Find(parse.GetValue(option), Environment.GetEnvironmentVariable, secrets);
        if (found is null)
        {
            error.WriteLine(
                $"No auth token: pass --auth-token, set {AuthTokenSource.EnvironmentVariable}, or run the AppHost once " +
                $"so that it stores {AuthTokenSource.SecretKey} in {secrets}.");
        }
        return found;
    }
}
