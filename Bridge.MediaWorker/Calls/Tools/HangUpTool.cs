using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Calls.Tools;

/// <summary><c>hang_up</c>: the model's goodbye plays to the end, then the call is completed through Twilio's API.</summary>
public sealed class HangUpTool(TwilioCallControl calls) : ICallTool
{
    public NovaTool Definition { get; } = new(
        "hang_up",
        "End the phone call. Say goodbye first; the line closes once your goodbye has been heard.",
        """{"type":"object","properties":{"reason":{"type":"string","description":"Why the call ends."}},"required":[]}""");

    public Task<CallToolResult> InvokeAsync(CallToolContext context, string inputJson, CancellationToken cancellationToken) =>
        Task.FromResult(new CallToolResult(
            """{"status":"The call will end after your goodbye."}""",
            token => calls.HangUpAsync(context.CallSid, token)));
}
