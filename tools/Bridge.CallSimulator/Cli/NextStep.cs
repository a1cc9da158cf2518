using Bridge.TwilioStandIn.Calls;
using Bridge.CallSimulator.Load;
using Bridge.TwilioStandIn.Twilio;

namespace Bridge.CallSimulator.Cli;

/// <summary>What to try next when a call or a load run failed in a way that has a usual cause.</summary>
public static class NextStep
{
    private const string StartTheSystem =
        "Is the system running? Start it in another terminal with 'dotnet run --project Bridge.AppHost' and wait until " +
        "the dashboard shows the api healthy, or point --url at your api.";

    private const string CheckTheToken =
        "Is the auth token the one the api checks? A local AppHost's is Parameters:twilio-auth-token in " +
        "'dotnet user-secrets list --project Bridge.AppHost' (found by default); elsewhere pass --auth-token.";

    public static string? For(CallSummary summary, Uri webhookUrl) => summary.Error switch
    {
        // The webhook never answered: nothing listens there.
        { Code: TwilioErrorCodes.HttpRetrievalFailure } when summary.Steps.Count == 0 => $"Nothing answered at {webhookUrl}. {StartTheSystem}",
        { Code: TwilioErrorCodes.HttpRetrievalFailure, Problem: var problem } when problem.EndsWith("HTTP 403", StringComparison.Ordinal) =>
            $"The api refused the request's signature (403). {CheckTheToken}",
        { Code: TwilioErrorCodes.StreamHandshakeFailed, Problem: var problem } when problem.Contains("HTTP 403", StringComparison.Ordinal) =>
            $"The media worker refused the WebSocket's signature (403). {CheckTheToken}",
        _ => null,
    };

    public static string? For(LoadResult result, Uri webhookUrl) =>
        result.CallsStarted > 0 && result.CallsCompleted == 0
            ? $"No call got through to {webhookUrl}. scripts/load-test.sh starts a worker, an api and the emulator in loopback " +
              "mode and runs this command against them; a system of your own needs its model in loopback at 8 kHz " +
              "(a local AppHost: Emulator__Mode=Loopback dotnet run --project Bridge.AppHost)."
            : null;
}
