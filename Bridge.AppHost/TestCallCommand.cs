using Bridge.CallSimulator.Audio;
using Bridge.CallSimulator.Calls;
using Bridge.CallSimulator.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Bridge.AppHost;

/// <summary>
/// A dashboard command on the api: places a call with the call simulator, as Twilio would, saying one of the
/// simulator's test utterances, and reports what the caller heard.
/// </summary>
internal static class TestCallCommand
{
    public static IResourceBuilder<ProjectResource> WithTestCallCommand(this IResourceBuilder<ProjectResource> api, IResourceBuilder<ParameterResource> authToken)
    {
        api.ApplicationBuilder.Services.TryAddSingleton<TestCallTracing>();
        return api.WithCommand(
            name: "place-test-call",
            displayName: "Place a test call",
            executeCommand: context => PlaceAsync(context, api.GetEndpoint("http"), authToken.Resource),
            commandOptions: new CommandOptions
            {
                Description = "Calls the webhook like Twilio, streams a short utterance, and reports what the caller heard.",
                IconName = "Call",
                UpdateState = context => context.ResourceSnapshot.HealthStatus is Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }

    private static async Task<ExecuteCommandResult> PlaceAsync(ExecuteCommandContext context, EndpointReference api, ParameterResource authToken)
    {
        var logger = context.Services.GetRequiredService<ILoggerFactory>().CreateLogger<CallSimulation>();
        await context.Services.GetRequiredService<TestCallTracing>().StartAsync(
            api.Resource, context.Services.GetRequiredService<DistributedApplicationExecutionContext>(), logger, context.CancellationToken);
        var utterance = Path.Combine(AppContext.BaseDirectory, "utterances", "hello.wav");
        var audio = CallerAudio.FromMuLaw(CallerAudioLoader.Load(WavFile.Read(utterance)).MuLaw);
        using var http = new HttpClient();
        var summary = await new CallSimulation(http, TimeProvider.System, logger).RunAsync(
            new CallSimulationOptions
            {
                WebhookUrl = new Uri(new Uri(api.Url), "/webhook"),
                AuthToken = await authToken.GetValueAsync(context.CancellationToken) ?? "",
                Media = new MediaStreamOptions { Audio = audio, HangUpAfterQuiet = TimeSpan.FromSeconds(2), RecordHeardAudio = false },
                LoopbackOnly = true,
            },
            cancellationToken: context.CancellationToken);

        var heard = summary.Stream?.HeardAudio ?? TimeSpan.Zero;
        return summary.Succeeded && heard > TimeSpan.Zero
            ? new ExecuteCommandResult { Success = true, Message = $"Call {summary.CallSid}: the caller heard {heard.TotalSeconds:0.0} s of answer. Trace {summary.TraceId} in Traces." }
            : new ExecuteCommandResult { Success = false, Message = $"Call {summary.CallSid}: {summary.Outcome}; heard {heard.TotalSeconds:0.0} s. {string.Join("; ", summary.Steps.TakeLast(3))}" };
    }
}
