using System.Net;
using System.Net.WebSockets;
using System.Text;
using Bridge.Tests.Support;

namespace Bridge.Tests.Reliability;

/// <summary>What the worker answered to one malformed input.</summary>
public sealed record MalformedOutcome(WebSocketCloseStatus? CloseStatus, string? CloseReason, HttpStatusCode? RefusedWith, string? Broken, bool Dropped = false)
{
    public string Describe() =>
        Broken is { } broken ? $"no close: {broken}" :
        RefusedWith is { } status ? $"upgrade refused with {(int)status}" :
        $"closed with {CloseStatus} \"{CloseReason}\"";
}

/// <summary>Opens a stream as Twilio would, sends the good part of it, then the malformed input, and reads the close.</summary>
public static class MalformedInputSender
{
    public static async Task<MalformedOutcome> SendAsync(DirectStream streams, MalformedInput input, CancellationToken cancellationToken)
    {
        var start = streams.NewStart(input.Kind == MalformedKind.ExpiredStreamToken ? TimeSpan.FromMinutes(-1) : null);
        using var socket = streams.NewSocket(signed: input.Kind != MalformedKind.BadSignature);
        try
        {
            await socket.ConnectAsync(streams.MediaUrl, cancellationToken);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0 && socket.HttpStatusCode != HttpStatusCode.SwitchingProtocols)
        {
            return new MalformedOutcome(null, null, socket.HttpStatusCode, null);
        }

        try
        {
            await SendTextAsync(socket, MalformedInputs.Connected, cancellationToken);
            if (input.Kind != MalformedKind.NoStart)
            {
                if (!input.ComesBeforeStart && !input.IsStart)
                {
                    await SendTextAsync(socket, MalformedInputs.Start(start), cancellationToken);
                    for (var i = 0; i < input.MediaBefore; i++)
                    {
                        await SendTextAsync(socket, MalformedInputs.Media(start, i + 2), cancellationToken);
                    }
                }
                await socket.SendAsync(input.Message(start), input.Type, true, cancellationToken);
            }
        }
        catch (WebSocketException)
        {
            // The worker may close while a large message is still being sent: its close frame is what counts.
        }
        return await ReadCloseAsync(socket, cancellationToken);
    }

    private static Task SendTextAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<MalformedOutcome> ReadCloseAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new MalformedOutcome(result.CloseStatus, result.CloseStatusDescription, null, null);
                }
            }
        }
        catch (WebSocketException e)
        {
            return new MalformedOutcome(null, null, null, e.Message, Dropped: e.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely);
        }
        catch (OperationCanceledException)
        {
            return new MalformedOutcome(null, null, null, "no close before the timeout");
        }
    }
}
