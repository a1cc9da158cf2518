using System.CommandLine;
using System.Text.Json;
using Bridge.CallSimulator.Outbound;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Outbound;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging;

namespace Bridge.CallSimulator.Cli;

/// <summary>
/// <c>bridge-call outbound</c>: one outbound call through a local api's <c>POST /calls</c>, placed by this tool's
/// Twilio stand-in (a person or a voicemail answers, as the number says), with the operator's side here: the api's
/// outcome and the worker's conversation arrive on a loopback endpoint, each signature checked with the callback secret.
/// </summary>
public static class OutboundCommand
{
    public static Command Create()
    {
        var api = new Option<Uri>("--api")
        {
            Description = "The api's address (POST /calls).",
            DefaultValueFactory = _ => new Uri("http://localhost:5080"),
            CustomParser = result => CommonOptions.HttpUrl(result, "--api"),
        };
        var to = new Option<string>("--to")
        {
            Description = $"The number to dial: {Callees.Person} is a person, {Callees.Machine} a voicemail, {Callees.Busy} busy, {Callees.NoAnswer} never answers.",
            DefaultValueFactory = _ => Callees.Person,
        };
        var from = new Option<string>("--from") { Description = "The caller ID, one of the api's Outbound:CallerIds.", DefaultValueFactory = _ => "+15005550020" };
        var agent = new Option<string>("--agent") { Description = "The agent that talks.", DefaultValueFactory = _ => "reminders" };
        var variables = new Option<string[]>("--var")
        {
            Description = "A variable of the agent, name=value. Repeatable. Default: the reminders agent's (patientName=Ana, appointment=on Tuesday at 3 pm).",
            HelpName = "name=value",
            Validators = { r => { foreach (var v in r.GetValueOrDefault<string[]>() ?? []) { if (!v.Contains('=', StringComparison.Ordinal)) { r.AddError($"--var must be name=value, not '{v}'."); } } } },
        };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"The api's Bearer key. Default: ${ApiKeyVariable}, else the AppHost's user secret {ApiKeySecret}.",
        };
        var callbackSecret = new Option<string?>("--callback-secret")
        {
            Description = $"The secret the callbacks are signed with. Default: ${CallbackSecretVariable}, else the AppHost's user secret {CallbackSecretKey}.",
        };
        var authToken = CommonOptions.AuthToken();
        var accountSid = CommonOptions.AccountSid();
        var restApi = CommonOptions.RestApi();
        var verbose = CommonOptions.Verbose();

        var command = new Command("outbound",
            "Place one outbound call through a local api (POST /calls, the agent and its variables), answer it here as Twilio " +
            "and the callee would (a person, a voicemail, busy...), and show what the operator receives: the api's signed outcome " +
            "and the worker's signed conversation (every turn, as heard).")
        {
            api, to, from, agent, variables, apiKey, callbackSecret, restApi, accountSid, authToken, verbose,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var secrets = AppHostUserSecrets.DefaultFile();
            if (CommonOptions.ResolveAuthToken(parse, authToken, Console.Error) is not { } token ||
                CommonOptions.ResolveAccountSid(parse, accountSid, Console.Error) is not { } account ||
                Resolve(parse.GetValue(apiKey), "--api-key", ApiKeyVariable, ApiKeySecret, secrets) is not { } key ||
                Resolve(parse.GetValue(callbackSecret), "--callback-secret", CallbackSecretVariable, CallbackSecretKey, secrets) is not { } secret)
            {
                return ExitCodes.BadArguments;
            }
            var given = parse.GetValue(variables) ?? [];
            var values = given.Length == 0
                ? new Dictionary<string, string> { ["patientName"] = "Ana", ["appointment"] = "on Tuesday at 3 pm" }
                : given.Select(v => v.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

            using var logging = ConsoleLogging.Create(parse.GetValue(verbose));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var logger = logging.CreateLogger<CallSimulation>();
            var liveCalls = new LiveCalls();
            await using var callee = new OutboundCalls(account.AccountSid, token.Token, http, liveCalls, TimeProvider.System, logger);
            callee.Ended += report => logger.LogInformation("{Report}", report.Describe());
            await using var twilio = await CommonOptions.StartRestApiAsync(parse.GetValue(restApi)!, liveCalls, cancellationToken, callee);
            await using var operatorSide = await OperatorEndpoint.StartAsync(secret, cancellationToken);

            var call = new OutboundTestCall.Call(parse.GetValue(to)!, parse.GetValue(from)!, parse.GetValue(agent)!, values);
            string? callSid, refusal;
            try
            {
                (callSid, refusal) = await OutboundTestCall.PlaceAsync(http, parse.GetValue(api)!, key, call, operatorSide, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"The api at {parse.GetValue(api)} cannot be reached ({e.Message}). Start it first: dotnet run --project Bridge.AppHost");
                return 1;
            }
            if (callSid is null)
            {
                Console.Error.WriteLine(refusal);
                return 1;
            }
            Console.WriteLine($"Placed {callSid} to {call.To}; waiting for the operator's callbacks at {operatorSide.Url}");
            return Show(await OutboundTestCall.CallbacksAsync(operatorSide, callSid, cancellationToken), operatorSide.Refused);
        });
        return command.WithExamples(
            "bridge-call outbound",
            "    A local AppHost calls a person for the reminders agent; the outcome and the conversation as the operator gets them.",
            $"bridge-call outbound --to {Callees.Machine}",
            "    A voicemail: the agent's message is left after the beep.",
            "bridge-call outbound --agent reminders --var patientName=Sam --var \"appointment=on Friday at 9 am\"",
            "    Other variables for the agent's prompt, greeting and voicemail message.");
    }

    private const string ApiKeyVariable = "BRIDGE_OUTBOUND_API_KEY";
    private const string ApiKeySecret = "Parameters:outbound-api-key";
    private const string CallbackSecretVariable = "BRIDGE_OUTBOUND_CALLBACK_SECRET";
    private const string CallbackSecretKey = "Parameters:outbound-callback-secret";

    private static string? Resolve(string? commandLine, string flag, string variable, string key, string secrets)
    {
        if (AppHostUserSecrets.Find(commandLine, flag, variable, key, Environment.GetEnvironmentVariable, secrets) is { } found)
        {
            return found.Value;
        }
        Console.Error.WriteLine($"No {flag[2..].Replace('-', ' ')}: pass {flag}, set {variable}, or run the AppHost once so that it stores {key} in {secrets}.");
        return null;
    }

    /// <summary>Prints the outcome, then (for an answered call) the conversation with its turns; 0 when both came, verified.</summary>
    private static int Show((JsonElement? Outcome, JsonElement? Conversation) callbacks, int refused)
    {
        if (callbacks.Outcome is not { } outcome)
        {
            Console.Error.WriteLine($"No outcome arrived within {OutboundTestCall.OutcomeWait.TotalMinutes:0} minutes ({refused} callbacks refused: their signature did not verify).");
            return 1;
        }
        Console.WriteLine("call.completed (signature verified): " + OperatorCallbackText.Outcome(outcome));
        if (callbacks.Conversation is { } conversation)
        {
            Console.WriteLine("call.conversation (signature verified): " + OperatorCallbackText.Conversation(conversation, turns: true));
            return 0;
        }
        if (outcome.GetProperty("callStatus").GetString() != "completed")
        {
            return 0;
        }
        Console.Error.WriteLine($"No conversation arrived from the worker within {OutboundTestCall.ConversationWait.TotalSeconds:0} s of the outcome " +
                                $"({refused} callbacks refused: their signature did not verify). Is Outbound:CallbackSecret set on the worker?");
        return 1;
    }
}
