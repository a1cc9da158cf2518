using System.Text;
using System.Text.Json;
using Bridge.TwilioStandIn.Twilio;

namespace Bridge.Softphone.Calls;

/// <summary>
/// Watches one call on the media worker's Development call event feed (<c>GET /development/calls/{callSid}/events</c>,
/// server-sent events, signed like a Twilio GET) and hands each event on. The worker serves it only in Development
/// with <c>Development:CallEvents=true</c>; without it the page says the transcript is off.
/// </summary>
internal sealed class CallEventsClient(HttpClient http, Uri worker, string authToken)
{
    /// <summary>Starts watching; returns once the worker watches the call (or could not), then reads until cancelled.</summary>
    public async Task<Task> WatchAsync(string callSid, Action<JsonElement> onEvent, Action<string> onUnavailable, CancellationToken cancellationToken)
    {
        var url = new Uri(worker, $"/development/calls/{Uri.EscapeDataString(callSid)}/events");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(TwilioRequestSigner.HeaderName, TwilioRequestSigner.SignForm(authToken, url.AbsoluteUri, []));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            onUnavailable($"the media worker's call event feed cannot be reached ({e.Message})");
            return Task.CompletedTask;
        }
        if (!response.IsSuccessStatusCode)
        {
            onUnavailable(response.StatusCode == System.Net.HttpStatusCode.NotFound
                ? "the media worker serves no call event feed (it needs the Development environment and Development:CallEvents=true)"
                : $"the media worker's call event feed answered HTTP {(int)response.StatusCode}");
            response.Dispose();
            return Task.CompletedTask;
        }
        return ReadAsync(response, onEvent, cancellationToken);
    }

    private static async Task ReadAsync(HttpResponseMessage response, Action<JsonElement> onEvent, CancellationToken cancellationToken)
    {
        using (response)
        {
            try
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        using var document = JsonDocument.Parse(line["data: ".Length..]);
                        onEvent(document.RootElement);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or JsonException)
            {
                // The call is over, or the worker went away: the transcript stops there.
            }
        }
    }
}
