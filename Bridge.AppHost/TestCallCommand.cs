using Bridge.CallSimulator.Audio;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.AppHost;

/// <summary>
/// A dashboard command on the api: places a call with the call simulator, as Twilio would (on the account the worker
/// serves, with Twilio's REST API for the call served where a local worker asks), saying one of the simulator's test
/// utterances, and reports what the caller heard.
/// </summary>
internal static class TestCallCommand
{
    public static IResourceBuilder<ProjectResource> WithTestCallCommand(
        this IResourceBuilder<ProjectResource> api, IResourceBuilder<ParameterResource> authToken, IResourceBuilder<ParameterResource> accountSid, Uri twilioApi) =>
        api.WithCommand(
            name: "place-test-call",
            displayName: "Place a test call",
            executeCommand: context => PlaceAsync(context, api.GetEndpoint("http"), authToken.Resource, accountSid.Resource, twilioApi),
            commandOptions: new CommandOptions
            {
                Description = "Calls the webhook like Twilio, streams a short utterance, and reports what the caller heard.",
                IconName = "Call",
                UpdateState = context => context.ResourceSnapshot.HealthStatus is Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });

    private static async Task<ExecuteCommandResult> PlaceAsync(ExecuteCommandContext context, EndpointReference api, ParameterResource authToken, ParameterResource accountSid, Uri twilioApiAddress)
    {
        var logger = context.Services.GetRequiredService<ILoggerFactory>().CreateLogger<CallSimulation>();
        var utterance = Path.Combine(AppContext.BaseDirectory, "utterances", "hello.wav");
        var audio = CallerAudio.FromMuLaw(CallerAudioLoader.Load(WavFile.Read(utterance)).MuLaw);
        using var http = new HttpClient();
        var liveCalls = new LiveCalls();
        await using var twilioApi = await ServeTwilioApiAsync(twilioApiAddress, liveCalls, logger, context.CancellationToken);
        var summary = await new CallSimulation(http, TimeProvider.System, logger, liveCalls).RunAsync(
            new CallSimulationOptions
            {
                WebhookUrl = new Uri(new Uri(api.Url), "/webhook"),
                AuthToken = await authToken.GetValueAsync(context.CancellationToken) ?? "",
                AccountSid = await accountSid.GetValueAsync(context.CancellationToken) ?? CallSimulationOptions.DefaultAccountSid,
                Media = new MediaStreamOptions { Audio = audio, HangUpAfterQuiet = TimeSpan.FromSeconds(2), RecordHeardAudio = false },
                LoopbackOnly = true,
            },
            cancellationToken: context.CancellationToken);

        var heard = summary.Stream?.HeardAudio ?? TimeSpan.Zero;
        return summary.Succeeded && heard > TimeSpan.Zero
            ? new ExecuteCommandResult { Success = true, Message = $"Call {summary.CallSid}: the caller heard {heard.TotalSeconds:0.0} s of answer." }
            : new ExecuteCommandResult { Success = false, Message = $"Call {summary.CallSid}: {summary.Outcome}; heard {heard.TotalSeconds:0.0} s. {string.Join("; ", summary.Steps.TakeLast(3))}" };
    }

    /// <summary>
    /// Twilio's REST API for the call, where a local worker (no public URL) confirms and ends its calls; when that address
    /// is served by another stand-in (the softphone, a <c>bridge-call call</c>) the call is announced to it; when it cannot be served the call goes on without it.
    /// </summary>
    private static async Task<TwilioCallsApi?> ServeTwilioApiAsync(Uri address, LiveCalls liveCalls, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await TwilioCallsApi.ServeOrShareAsync(address, liveCalls, cancellationToken);
        }
        catch (IOException e)
        {
            logger.LogWarning("Twilio's REST API for the test call cannot be served at {Address}: {Reason}", address, e.Message);
            return null;
        }
    }
}
