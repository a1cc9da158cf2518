using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Tests.Support;

namespace Bridge.Tests.Api.Outbound;

/// <summary>The real api set up for outbound calls against a fake Twilio and a fake worker, and the requests its tests send.</summary>
internal static class OutboundApi
{
    public const string SchedulerKey = "sk_scheduler_0123456789abcdefghijklmnopqrstuv";
    public const string CrmKey = "sk_crm_0123456789abcdefghijklmnopqrstuvwxyz";
    public const string OurNumber = "+15005550020";
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string CallbackSecret = "callback-secret-0123456789abcdefghijklmnop";

    /// <summary>The sample agents, two keys, one caller ID; Twilio at <paramref name="twilio"/>, creates given 1 s.</summary>
    public static ApiFactory Create(Uri twilio, FakeWorker worker) => new ApiFactory()
        .With("Twilio:AccountSid", AccountSid)
        .With("Twilio:Rest:BaseAddress", twilio.ToString())
        .With("Twilio:Rest:CreateTimeout", "00:00:01")
        .With("Agents:Source", "file:" + Path.Combine(RepositoryRoot.Path, "samples", "agents.sample.json"))
        .With("Outbound:ApiKeys:scheduler", SchedulerKey)
        .With("Outbound:ApiKeys:crm", CrmKey)
        .With("Outbound:CallbackSecret", CallbackSecret)
        .With("Outbound:CallerIds:0", OurNumber)
        .With("Outbound:Workers", worker.BaseAddress.ToString());

    /// <summary>A call of the sample's <c>reminders</c> agent, with its variables.</summary>
    public static Dictionary<string, object?> ValidCall() => new()
    {
        ["to"] = "+14155550100",
        ["from"] = OurNumber,
        ["agent"] = "reminders",
        ["variables"] = new Dictionary<string, string> { ["patientName"] = "Ana", ["appointment"] = "on Tuesday at 3 pm" },
        ["statusCallback"] = "https://crm.example.com/calls/outcome",
    };

    public static async Task<HttpResponseMessage> PlaceAsync(HttpClient client, object body, string? key = SchedulerKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/calls") { Content = JsonContent.Create(body) };
        return await client.SendAsync(Authorized(request, key));
    }

    public static async Task<HttpResponseMessage> FetchAsync(HttpClient client, string query, string? key = SchedulerKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/calls" + query);
        return await client.SendAsync(Authorized(request, key));
    }

    /// <summary>
    /// The RFC 7807 body of <paramref name="response"/>, failing unless it is <c>application/problem+json</c> with a
    /// <c>type</c>: every problem of the api names its status's definition, so that its own <c>title</c> stands (without a
    /// type, RFC 9457 reads <c>about:blank</c>, whose title should be the status phrase).
    /// </summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"HTTP {(int)response.StatusCode} {response.Content.Headers.ContentType}: {body[..Math.Min(body.Length, 300)]}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(problem.TryGetProperty("type", out var type) && Uri.TryCreate(type.GetString(), UriKind.Absolute, out _),
            $"HTTP {(int)response.StatusCode}: a problem without a type: {body[..Math.Min(body.Length, 300)]}");
        return problem;
    }

    private static HttpRequestMessage Authorized(HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }
}
