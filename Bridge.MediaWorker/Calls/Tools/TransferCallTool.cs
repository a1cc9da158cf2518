using Bridge.NovaSonic;
using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Calls.Tools;

/// <summary>
/// <c>transfer_call</c>: once the model has told the caller, the call is handed to <c>Calls:TransferTarget</c>
/// (a number or SIP URI) by replacing its TwiML with a <c>&lt;Dial&gt;</c>.
/// </summary>
public sealed partial class TransferCallTool(TwilioCallControl calls, IOptions<CallOptions> options, ILogger<TransferCallTool> logger) : ICallTool
{
    public NovaTool Definition { get; } = new(
        "transfer_call",
        "Transfer the caller to a human. Tell the caller you are transferring them first.",
        """{"type":"object","properties":{"reason":{"type":"string","description":"Why the caller wants a human."}},"required":[]}""");

    public Task<CallToolResult> InvokeAsync(CallToolContext context, string inputJson, CancellationToken cancellationToken)
    {
        if (options.Value.TransferTarget is not { Length: > 0 } target)
        {
            LogDeclined(context.CallSid);
            return Task.FromResult(new CallToolResult("""{"error":"No one is available to take a transfer. Offer to help the caller yourself."}"""));
        }
        LogTransferring(context.CallSid, target);
        return Task.FromResult(new CallToolResult(
            """{"status":"The caller will be transferred after you finish speaking."}""",
            token => calls.TransferAsync(context.CallSid, target, token)));
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Call {CallSid}: the model asked to transfer the caller, but Calls:TransferTarget is not set, so the transfer was declined (the model was told no one is available)")]
    private partial void LogDeclined(string callSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: transferring to {Target} once the model has finished speaking")]
    private partial void LogTransferring(string callSid, string target);
}
