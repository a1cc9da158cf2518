using System.Text.Json;
using Bridge.SampleToolBackend;

// A SAMPLE backend: one tool, order_status, answering from a few made-up orders; and an operator's endpoint for the
// outcomes of outbound calls.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var secret = builder.Configuration["SampleToolBackend:Secret"] is { Length: >= 32 } configured
    ? configured
    : throw new InvalidOperationException("SampleToolBackend:Secret (32+ characters, the same as the worker's HttpTools:order_status:Secret) is required.");
var delay = builder.Configuration.GetValue("SampleToolBackend:Delay", TimeSpan.FromMilliseconds(800));
// The Outbound:CallbackSecret of the api and the worker: outbound calls' callbacks are signed with it (docs/outbound.md). Optional here.
var callbackSecret = builder.Configuration["SampleToolBackend:CallbackSecret"];

var app = builder.Build();
app.MapDefaultEndpoints();

var orders = new Dictionary<string, string>
{
    ["1042"] = "shipped on Monday; it arrives Thursday",
    ["2001"] = "being built; it ships in two weeks",
    ["3130"] = "waiting for payment",
};

app.MapPost("/tools/order-status", async (HttpRequest request, ILogger<Program> logger, CancellationToken cancellationToken) =>
{
    using var buffer = new MemoryStream();
    await request.Body.CopyToAsync(buffer, cancellationToken);
    var body = buffer.ToArray();
    if (!BridgeSignature.IsValid(secret, request.Headers["X-Bridge-Timestamp"], request.Headers["X-Bridge-Signature"], body, DateTimeOffset.UtcNow))
    {
        logger.LogWarning("Refused a request whose signature does not verify");
        return Results.Unauthorized();
    }

    using var json = JsonDocument.Parse(body);
    var orderNumber = json.RootElement.GetProperty("input").GetProperty("orderNumber").GetString()!;
    var call = json.RootElement.GetProperty("call");
    logger.LogInformation("Signed request verified: order_status {Order} for call {CallSid} (agent {Agent}, caller {Caller})",
        orderNumber, call.GetProperty("callSid").GetString(), call.GetProperty("agent").GetString(), call.GetProperty("caller").GetString());

    // A real lookup takes a moment; the model keeps talking meanwhile.
    await Task.Delay(delay, cancellationToken);
    return orders.TryGetValue(orderNumber, out var status)
        ? Results.Json(new { orderNumber, status })
        : Results.NotFound(new { error = $"There is no order {orderNumber}." });
});

// An operator's status callback: the outcome of each outbound call placed with "statusCallback" pointing here (from the
// api, "X-Bridge-Event: call.completed"), and what was said in it (from the worker, "call.conversation").
app.MapPost("/outbound/callbacks", async (HttpRequest request, ILogger<Program> logger, CancellationToken cancellationToken) =>
{
    using var buffer = new MemoryStream();
    await request.Body.CopyToAsync(buffer, cancellationToken);
    var body = buffer.ToArray();
    if (callbackSecret is not { Length: >= 32 } ||
        !BridgeSignature.IsValid(callbackSecret, request.Headers["X-Bridge-Timestamp"], request.Headers["X-Bridge-Signature"], body, DateTimeOffset.UtcNow))
    {
        logger.LogWarning("Refused an outbound callback whose signature does not verify");
        return Results.Unauthorized();
    }
    using var json = JsonDocument.Parse(body);
    var callback = json.RootElement;
    if (request.Headers["X-Bridge-Event"] == "call.conversation")
    {
        // The worker's: what was said, once the conversation has ended.
        var turns = callback.GetProperty("turns");
        logger.LogInformation("Signed conversation callback verified: call {CallSid} to {To} with agent {Agent}, {EndReason} after {Duration} s: {Turns}",
            callback.GetProperty("callSid").GetString(), callback.GetProperty("to").GetString(), callback.GetProperty("agent").GetString(),
            callback.GetProperty("endReason").GetString(), callback.GetProperty("durationSeconds").GetDouble(),
            turns.ValueKind == JsonValueKind.Array
                ? string.Join(" | ", turns.EnumerateArray().Select(t => $"{t.GetProperty("speaker").GetString()}: {t.GetProperty("text").GetString()}"))
                : "(no transcript)");
        return Results.NoContent();
    }
    // The api's: how the call ended.
    logger.LogInformation("Signed outbound callback verified: call {CallSid} to {To}: {Outcome}. {Summary}",
        callback.GetProperty("callSid").GetString(), callback.GetProperty("to").GetString(),
        callback.GetProperty("outcome").GetString(), callback.GetProperty("summary").GetString());
    return Results.NoContent();
});

app.Run();
