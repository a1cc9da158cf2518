using Bridge.TwilioStandIn.Twilio;

namespace Bridge.AppHost;

/// <summary>
/// The <c>transfer-target</c> parameter: where the media worker's <c>transfer_call</c> tool sends a caller
/// (<c>Calls:TransferTarget</c>, a number or a <c>sip:</c> URI). Run locally without a public URL, only the call
/// simulator calls in, so it defaults to a fictional number the simulator shows as "transferred to …"; with a
/// public URL (a real Twilio number) there is no default, and without the parameter transfers are declined.
/// A deployment sets <c>Calls__TransferTarget</c> itself: the parameter is not part of the published manifest.
/// </summary>
internal static class TransferTargetExtensions
{
    public const string ParameterName = "transfer-target";

    public static IResourceBuilder<ProjectResource> WithTransferTarget(this IResourceBuilder<ProjectResource> worker, IDistributedApplicationBuilder builder, bool callsComeFromTheSimulator)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return worker;
        }
        var configured = !string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{ParameterName}"]);
        var target = callsComeFromTheSimulator ? builder.AddParameter(ParameterName, TwilioCallsApi.LocalTransferTarget)
            : configured ? builder.AddParameter(ParameterName)
            : null;
        return target is null ? worker : worker.WithEnvironment("Calls__TransferTarget", target);
    }
}
