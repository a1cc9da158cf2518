using Bridge.CallSimulator.Outbound;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Outbound;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.AppHost;

/// <summary>
/// Dashboard commands on the api that place an outbound call through the product's own <c>POST /calls</c> (with the
/// local API key) to the call simulator's person or voicemail, and report the outcome the api sends to the operator's
/// callback and the conversation the worker sends it — received here on a loopback port, each signature checked with
/// the callback secret (<see cref="OperatorEndpoint"/>). Twilio's REST API is
/// the simulator's: whichever stand-in holds its address (the softphone, a <c>bridge-call</c>, or this command) places the call.
/// </summary>
internal static class OutboundTestCallCommand
{
    public static IResourceBuilder<ProjectResource> WithOutboundTestCallCommands(
        this IResourceBuilder<ProjectResource> api,
        OutboundExtensions.Settings outbound,
        IResourceBuilder<ParameterResource> authToken,
        IResourceBuilder<ParameterResource> accountSid,
        Uri twilioApi)
    {
        foreach (var (name, display, to) in new[]
        {
            ("place-outbound-call", "Place an outbound test call", OutboundExtensions.PersonNumber),
            ("place-outbound-call-voicemail", "Place an outbound test call to a voicemail", OutboundExtensions.VoicemailNumber),
        })
        {
            api.WithCommand(
                name: name,
                displayName: display,
                executeCommand: context => PlaceAsync(context, api.GetEndpoint("http"), outbound, authToken.Resource, accountSid.Resource, twilioApi, to),
                commandOptions: new CommandOptions
                {
                    Description = $"POST /calls to {to} with the reminders agent, and reports the outcome the api calls back with and the conversation the worker sends.",
                    IconName = "CallOutbound",
                    UpdateState = context => context.ResourceSnapshot.HealthStatus is Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                        ? ResourceCommandState.Enabled
                        : ResourceCommandState.Disabled,
                });
        }
        return api;
    }

    private static async Task<ExecuteCommandResult> PlaceAsync(
        ExecuteCommandContext context, EndpointReference api, OutboundExtensions.Settings outbound,
        ParameterResource authToken, ParameterResource accountSid, Uri twilioApiAddress, string to)
    {
        var cancellationToken = context.CancellationToken;
        var logger = context.Services.GetRequiredService<ILoggerFactory>().CreateLogger<CallSimulation>();
        var key = await outbound.ApiKey.Resource.GetValueAsync(cancellationToken) ?? "";
        var secret = await outbound.CallbackSecret.Resource.GetValueAsync(cancellationToken) ?? "";
        var token = await authToken.GetValueAsync(cancellationToken) ?? "";
        var account = await accountSid.GetValueAsync(cancellationToken) ?? "";

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var liveCalls = new LiveCalls();
        await using var callee = new OutboundCalls(account, token, http, liveCalls, TimeProvider.System, logger);
        await using var twilioApi = await TryServeAsync(twilioApiAddress, liveCalls, callee, logger, cancellationToken);
        await using var operatorSide = await OperatorEndpoint.StartAsync(secret, cancellationToken);

        var call = new OutboundTestCall.Call(to, OutboundExtensions.LocalCallerIds[0], "reminders",
            new Dictionary<string, string> { ["patientName"] = "Ana", ["appointment"] = "on Tuesday at 3 pm" });
        var (callSid, refusal) = await OutboundTestCall.PlaceAsync(http, new Uri(api.Url), key, call, operatorSide, cancellationToken);
        if (callSid is null)
        {
            return new ExecuteCommandResult { Success = false, Message = refusal };
        }

        var (outcome, conversation) = await OutboundTestCall.CallbacksAsync(operatorSide, callSid, cancellationToken);
        if (outcome is not { } completed)
        {
            return new ExecuteCommandResult { Success = false, Message = $"Placed {callSid}, but no outcome arrived within {OutboundTestCall.OutcomeWait.TotalMinutes:0} minutes." };
        }
        var message = OperatorCallbackText.Outcome(completed);
        if (conversation is { } said)
        {
            message += " " + OperatorCallbackText.Conversation(said, turns: true);
        }
        else if (completed.GetProperty("callStatus").GetString() == "completed")
        {
            message += $" No conversation callback came from the worker within {OutboundTestCall.ConversationWait.TotalSeconds:0} s of the outcome.";
        }
        return new ExecuteCommandResult { Success = true, Message = message };
    }

    private static async Task<TwilioCallsApi?> TryServeAsync(Uri address, LiveCalls liveCalls, OutboundCalls callee, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await TwilioCallsApi.ServeOrShareAsync(address, liveCalls, cancellationToken, callee);
        }
        catch (IOException e)
        {
            logger.LogWarning("Twilio's REST API cannot be served at {Address}: {Reason}", address, e.Message);
            return null;
        }
    }
}
