using System.CommandLine;
using System.CommandLine.Parsing;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Outbound;
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
        CustomParser = result => HttpUrl(result, "--url"),
    };

    /// <summary>An absolute http(s) URL (System.CommandLine has no converter for <see cref="Uri"/>: every Uri option needs this).</summary>
    public static Uri? HttpUrl(ArgumentResult result, string option)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }
        result.AddError($"{option} must be an absolute http(s) URL, not '{text}'.");
        return null;
    }

    public static Option<string?> AuthToken() => new("--auth-token")
    {
        Description = $"The auth token to sign with. Default: ${AuthTokenSource.EnvironmentVariable}, else the AppHost's " +
                      $"user secret {AuthTokenSource.SecretKey} (what a local 'dotnet run --project Bridge.AppHost' uses).",
    };

    public static Option<string?> AccountSid() => new("--account-sid")
    {
        Description = $"The account SID sent in every request (AC + 32 hex digits). Default: ${AccountSidSource.EnvironmentVariable}, else the " +
                      $"AppHost's user secret {AccountSidSource.SecretKey} (the account its worker serves), else {Bridge.TwilioStandIn.Calls.CallSimulationOptions.DefaultAccountSid}.",
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<string?>() is { } sid && !TwilioSid.IsAccountSid(sid))
                {
                    result.AddError("--account-sid must be AC followed by 32 hex digits.");
                }
            },
        },
    };

    public static Option<string[]> Routes() => new("--route")
    {
        Description = "PUBLIC=LOCAL: requests for a URL starting with PUBLIC go to LOCAL instead, still signed with the public URL " +
                      "(what a load balancer does). For a bridge configured with its public URL, e.g. --route https://voice.example.com/webhook=http://127.0.0.1:5380/webhook " +
                      "--route wss://voice.example.com/media=ws://127.0.0.1:5390/media, and --url https://voice.example.com/webhook. Repeatable.",
        HelpName = "public=local",
        Validators =
        {
            result =>
            {
                foreach (var route in result.GetValueOrDefault<string[]>() ?? [])
                {
                    if (!PublicRoutes.TryParse(route, out _, out var error))
                    {
                        result.AddError("--route " + error);
                    }
                }
            },
        },
    };

    public static PublicRoutes ResolveRoutes(ParseResult parse, Option<string[]> option) =>
        new((parse.GetValue(option) ?? []).Select(text => PublicRoutes.TryParse(text, out var route, out _) ? route : default));

    /// <summary>The account SID to call as, and where it came from; an invalid one from the environment or user secrets is printed and null.</summary>
    public static AccountSidSource.Found? ResolveAccountSid(ParseResult parse, Option<string?> option, TextWriter error)
    {
        var found = AccountSidSource.Find(parse.GetValue(option), Environment.GetEnvironmentVariable, AppHostUserSecrets.DefaultFile());
        if (!TwilioSid.IsAccountSid(found.AccountSid))
        {
            error.WriteLine($"The account SID from {found.Source} is not AC followed by 32 hex digits.");
            return null;
        }
        return found;
    }

    public static Option<string> RestApi() => new("--rest-api")
    {
        Description = "Serve Twilio's REST API for the calls here (GET .../Calls/{CallSid}.json: the call's status; POST: Status=completed, Twiml, Url), " +
                      "so a bridge can confirm a call is live and its hang-up or transfer ends or redirects the call; 'off' to serve nothing. " +
                      "A local AppHost points the worker's Twilio:Rest:BaseAddress at the default.",
        DefaultValueFactory = _ => TwilioCallsApi.DefaultAddress,
        Validators =
        {
            r =>
            {
                var value = r.GetValueOrDefault<string>();
                if (value != "off" && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == "http"))
                {
                    r.AddError("--rest-api must be an http:// address such as " + TwilioCallsApi.DefaultAddress + ", or off.");
                }
            },
        },
    };

    /// <summary>The REST API for the calls, or nothing (with a warning when its address is taken: the calls go on).</summary>
    public static async Task<TwilioCallsApi?> StartRestApiAsync(string address, LiveCalls liveCalls, CancellationToken cancellationToken, OutboundCalls? outbound = null)
    {
        if (address == "off")
        {
            return null;
        }
        try
        {
            // If the softphone (or another call) serves the address, these calls are served beside it and announced to it.
            return await TwilioCallsApi.ServeOrShareAsync(new Uri(address), liveCalls, cancellationToken, outbound);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"warning: Twilio's REST API cannot be served at {address} ({e.Message}); a bridge cannot confirm, hang up or transfer these calls.");
            return null;
        }
    }

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
