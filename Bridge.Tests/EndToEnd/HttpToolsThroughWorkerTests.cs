using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// A profile's HTTP tools end to end: the simulator plays Twilio over a real WebSocket into the real worker, the
/// emulator plays Nova Sonic over HTTP/2 and calls a tool when the caller presses its key, and a real HTTP server
/// plays the deployer's backend, checking each signature the way docs/agents.md tells a backend to. Every wait is for
/// a signal (a request arriving, a result reaching the model, audio received), never a sleep.
/// </summary>
public sealed class HttpToolsThroughWorkerTests(HttpToolsRig rig) : IClassFixture<HttpToolsRig>
{
    [Fact]
    public async Task The_backend_gets_a_signed_request_and_its_answer_reaches_the_model_while_the_caller_is_still_heard()
    {
        var arrivedAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var call = await rig.CallAsync();
        rig.Backend.Answer = async context =>
        {
            // Answers only once the model has heard two more seconds of the caller: a call that stopped streaming while
            // its tool ran would leave this waiting until the tool's timeout, and the model would get an apology.
            var atArrival = call.Prompt.AudioBytesReceived;
            arrivedAt.TrySetResult(atArrival);
            while (call.Prompt.AudioDuration(call.Prompt.AudioBytesReceived - atArrival) < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(10, context.RequestAborted);
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"orderNumber":"1042","status":"shipped"}""");
        };

        call.Press('1');
        var result = await call.ResultAsync(1);

        var request = Assert.Single(rig.Backend.Requests);
        Assert.True(HttpToolsRig.SignedAsDocumented(request), "the signature does not verify as docs/agents.md describes");
        Assert.Equal(("/tools/order_status", "order_status"), (request.Path, request.Tool));
        using (var body = JsonDocument.Parse(request.Body))
        {
            var root = body.RootElement;
            Assert.Equal("1042", root.GetProperty("input").GetProperty("orderNumber").GetString());
            Assert.Equal(request.ToolUseId, root.GetProperty("toolUseId").GetString());
            var context = root.GetProperty("call");
            Assert.Equal(call.CallSid, context.GetProperty("callSid").GetString());
            Assert.Equal(("desk", "+15555550100", "+15555550199"),
                (context.GetProperty("agent").GetString(), context.GetProperty("caller").GetString(), context.GetProperty("called").GetString()));
        }
        Assert.Equal(request.ToolUseId, result.ToolUseId);
        Assert.Equal("""{"orderNumber":"1042","status":"shipped"}""", result.Content);
        // Measured in the audio the model received, not in time: the caller went on being heard while the tool ran.
        var heardMeanwhile = call.Prompt.AudioDuration(result.AudioBytesBefore - await arrivedAt.Task);
        Assert.True(heardMeanwhile >= TimeSpan.FromSeconds(2), $"the model heard {heardMeanwhile} of the caller while the tool ran");
    }

    [Fact]
    public async Task Input_that_breaks_the_schema_is_refused_without_a_request_and_a_timeout_becomes_an_apology()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Backend.Answer = async context =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        await using var call = await rig.CallAsync();

        call.Press('2');
        var refused = await call.ResultAsync(1);
        Assert.Empty(rig.Backend.Requests);
        Assert.Contains("The input did not match the tool", refused.Content, StringComparison.Ordinal);
        Assert.Contains("/orderNumber", refused.Content, StringComparison.Ordinal);

        call.Press('3');
        var timedOut = await call.ResultAsync(2);
        Assert.Equal("/tools/slow_lookup", Assert.Single(rig.Backend.Requests).Path);
        Assert.Equal("""{"error":"The slow_lookup service did not answer in time. Apologise, and offer to try again or to help another way."}""", timedOut.Content);
        await aborted.Task.WaitAsync(HttpToolsRig.Patience);
    }

    [Fact]
    public async Task Two_tools_run_at_once_and_their_results_reach_the_model_in_the_order_they_finish()
    {
        var stockArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseStock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Backend.Answer = async context =>
        {
            if (context.Request.Path == "/tools/stock_check")
            {
                stockArrived.TrySetResult();
                await releaseStock.Task.WaitAsync(context.RequestAborted);
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Path == "/tools/stock_check" ? """{"inStock":12}""" : """{"status":"shipped"}""");
        };
        await using var call = await rig.CallAsync();

        call.Press('4');
        await stockArrived.Task.WaitAsync(HttpToolsRig.Patience);
        call.Press('1');
        var first = await call.ResultAsync(1);
        releaseStock.TrySetResult();
        var second = await call.ResultAsync(2);

        var requests = rig.Backend.Requests.ToArray();
        Assert.Equal(["/tools/stock_check", "/tools/order_status"], requests.Select(r => r.Path));
        Assert.Equal((requests[1].ToolUseId, """{"status":"shipped"}"""), (first.ToolUseId, first.Content));
        Assert.Equal((requests[0].ToolUseId, """{"inStock":12}"""), (second.ToolUseId, second.Content));
        Assert.All(requests, r => Assert.True(HttpToolsRig.SignedAsDocumented(r)));
    }

    [Fact]
    public async Task A_barge_in_aborts_a_pending_tools_request_and_the_model_is_told_the_caller_interrupted()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Backend.Answer = async context =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        await using var call = await rig.CallAsync();

        call.Press('4');
        await arrived.Task.WaitAsync(HttpToolsRig.Patience);
        // The caller says something; the model echoes it; the caller talks over the echo.
        call.Speaks(TimeSpan.FromSeconds(2));
        await HttpToolsRig.WaitForAsync(() => call.HeardFrames > 0, "the model's echo reaching the caller");
        call.Speaks(TimeSpan.FromSeconds(1));

        await aborted.Task.WaitAsync(HttpToolsRig.Patience);
        var result = await call.ResultAsync(1);
        Assert.Equal(Assert.Single(rig.Backend.Requests).ToolUseId, result.ToolUseId);
        Assert.Contains("\"status\":\"cancelled\"", result.Content, StringComparison.Ordinal);
        Assert.Contains("The caller interrupted before stock_check answered", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfer_goes_to_a_named_destination_and_an_unknown_name_is_refused_with_the_names()
    {
        await using var call = await rig.CallAsync();

        call.Press('6');
        var refused = await call.ResultAsync(1);
        Assert.Contains("sales", refused.Content, StringComparison.Ordinal);
        Assert.Contains("support", refused.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Worker.Twilio.Updates, u => u.CallSid == call.CallSid);

        call.Press('5');
        await call.ResultAsync(2);
        // Once the model's reply to the result has been heard, the call's TwiML becomes a Dial to that destination.
        var update = await rig.UpdateOfAsync(call.CallSid);
        Assert.Contains("<Dial", update.Form["Twiml"], StringComparison.Ordinal);
        Assert.Contains("+15005550001", update.Form["Twiml"], StringComparison.Ordinal);
        Assert.DoesNotContain("sip:", update.Form["Twiml"], StringComparison.Ordinal);
    }
}
