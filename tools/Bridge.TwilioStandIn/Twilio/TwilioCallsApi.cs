using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Bridge.TwilioStandIn.Outbound;
using Microsoft.Extensions.Logging;

namespace Bridge.TwilioStandIn.Twilio;

/// <summary>
/// The part of Twilio's REST API a bridge uses on a live call — <c>GET /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json</c>
/// (the call and its status) and <c>POST</c> to the same with <c>Status=completed</c>, <c>Twiml</c>, <c>Url</c> or
/// <c>StatusCallback</c> — and, with <see cref="OutboundCalls"/>, <c>POST …/Calls.json</c> to place a call, served
/// for the simulator's calls, so that a bridge can confirm a call is live and its hang-up or transfer really ends or
/// redirects the simulated call. Basic authentication with the account SID and the auth token, as Twilio's libraries
/// send it; Twilio's error bodies (20003 unauthenticated, 20404 no such call, or one that has ended; a bad parameter
/// is a 400 with Twilio's message shape).
/// </summary>
public sealed class TwilioCallsApi : IAsyncDisposable
{
    /// <summary>Where <c>bridge-call call</c> serves the API by default, and where the AppHost points a local worker.</summary>
    public const string DefaultAddress = "http://127.0.0.1:5099";

    /// <summary>
    /// Where a local AppHost transfers calls unless told otherwise: a fictional number (555-01xx). The simulator shows
    /// the transfer ("transferred to …") and, not being a telephone network, dials nobody.
    /// </summary>
    public const string LocalTransferTarget = "+14155550199";

    private const int AuthenticationFailed = 20003;
    private const int NotFound = 20404;

    private readonly WebApplication _app;
    private readonly LiveCalls _calls;

    private TwilioCallsApi(WebApplication app, LiveCalls calls)
    {
        _app = app;
        _calls = calls;
    }

    /// <summary>Where the API listens (with the actual port when port 0 was asked for).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Set when another stand-in serves the address asked for: this one's calls are announced to it (<see cref="SharedRestApi"/>).</summary>
    public Uri? SharedWith { get; private set; }

    /// <summary>
    /// Serves the API at <paramref name="address"/>; if another stand-in already does, serves this one's calls on a free
    /// port of the same host and announces each of them to that stand-in (<see cref="SharedRestApi"/>).
    /// </summary>
    public static async Task<TwilioCallsApi> ServeOrShareAsync(Uri address, LiveCalls calls, CancellationToken cancellationToken = default, OutboundCalls? outbound = null)
    {
        try
        {
            return await StartAsync(address, calls, cancellationToken, outbound);
        }
        catch (IOException) when (address.Port != 0)
        {
            // Outbound calls are placed by the stand-in holding the address: a bridge only knows that one.
            var api = await StartAsync(new UriBuilder(address) { Port = 0 }.Uri, calls, cancellationToken);
            calls.Join(address, api.BaseAddress);
            api.SharedWith = address;
            return api;
        }
    }

    /// <param name="outbound">Places the calls a bridge creates (<c>POST …/Calls.json</c>); without it a create is refused.</param>
    public static async Task<TwilioCallsApi> StartAsync(Uri address, LiveCalls calls, CancellationToken cancellationToken = default, OutboundCalls? outbound = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new TwilioCallsApi(app, calls);
        // Requests for a call another stand-in serves go to it, whatever the method or sub-resource.
        app.Use(async (context, next) =>
        {
            if (CallSidOf(context.Request.Path) is { } sid && !calls.TryGet(sid, out _) && calls.TryGetForward(sid, out var owner))
            {
                await SharedRestApi.ForwardAsync(context, owner);
                return;
            }
            await next(context);
        });
        app.MapMethods(SharedRestApi.RegistrationPrefix + "{callSid}", [HttpMethods.Put, HttpMethods.Delete],
            (string callSid, HttpContext context) => SharedRestApi.RegisterAsync(context, callSid, calls));
        app.MapPost($"/{CallIdentity.ApiVersion}/Accounts/{{accountSid}}/Calls.json", (string accountSid, HttpRequest request) =>
            outbound is null
                ? Task.FromResult(Error(HttpStatusCode.BadRequest, null, "This stand-in places no outbound calls (it was started without an account to place them as)"))
                : outbound.CreateAsync(accountSid, request));
        app.MapGet($"/{CallIdentity.ApiVersion}/Accounts/{{accountSid}}/Calls/{{callSid}}.json", api.FetchCall);
        app.MapPost($"/{CallIdentity.ApiVersion}/Accounts/{{accountSid}}/Calls/{{callSid}}.json", api.UpdateCallAsync);
        await app.StartAsync(cancellationToken);
        api.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return api;
    }

    /// <summary>The call as Twilio describes it (the fields a bridge reads); a call that has ended is no longer found.</summary>
    private IResult FetchCall(string accountSid, string callSid, HttpRequest request)
    {
        if (Find(accountSid, callSid, request, out var call) is { } refused)
        {
            return refused;
        }
        return Results.Json(new Dictionary<string, object?>
        {
            ["sid"] = callSid,
            ["account_sid"] = accountSid,
            ["status"] = call.Status,
            ["direction"] = call.Direction,
            ["api_version"] = CallIdentity.ApiVersion,
            ["uri"] = $"/{CallIdentity.ApiVersion}/Accounts/{accountSid}/Calls/{callSid}.json",
        });
    }

    private async Task<IResult> UpdateCallAsync(string accountSid, string callSid, HttpRequest request)
    {
        if (Find(accountSid, callSid, request, out var call) is { } refused)
        {
            return refused;
        }
        if (!request.HasFormContentType)
        {
            return Error(HttpStatusCode.BadRequest, null, "A form body is required");
        }

        var form = await request.ReadFormAsync();
        CallUpdate? update;
        Uri? statusCallback;
        string status;
        try
        {
            (update, statusCallback, status) = ReadUpdate(form, new Uri(request.GetEncodedUrl()));
        }
        catch (TwilioCallException e)
        {
            return Error(HttpStatusCode.BadRequest, e.Code == 0 ? null : e.Code, e.Detail);
        }
        if (statusCallback is not null)
        {
            call.StatusCallback = statusCallback;
        }
        if (update is not null && !call.TryUpdate(update))
        {
            // The call is already leaving what it was doing; Twilio accepts the request and the call ends up where it goes.
            status = "in-progress";
        }
        return Results.Json(new Dictionary<string, object?>
        {
            ["sid"] = callSid,
            ["account_sid"] = accountSid,
            ["status"] = status,
            ["api_version"] = CallIdentity.ApiVersion,
        });
    }

    /// <summary>The CallSid of a request under <c>/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}</c>.</summary>
    private static string? CallSidOf(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not [CallIdentity.ApiVersion, "Accounts", _, "Calls", var call, ..])
        {
            return null;
        }
        return call.EndsWith(".json", StringComparison.Ordinal) ? call[..^".json".Length] : call;
    }

    /// <summary>The live call, or Twilio's answer when there is none on that account (20404) or the caller is not its owner (20003).</summary>
    private IResult? Find(string accountSid, string callSid, HttpRequest request, out LiveCall call)
    {
        if (!_calls.TryGet(callSid, out call) || call.AccountSid != accountSid)
        {
            return Error(HttpStatusCode.NotFound, NotFound, $"The requested resource /{CallIdentity.ApiVersion}/Accounts/{accountSid}/Calls/{callSid}.json was not found");
        }
        return IsAuthenticated(request, call.AccountSid, call.AuthToken) ? null : Error(HttpStatusCode.Unauthorized, AuthenticationFailed, "Authenticate");
    }

    private static (CallUpdate? Update, Uri? StatusCallback, string Status) ReadUpdate(IFormCollection form, Uri requestUrl)
    {
        Uri? statusCallback = null;
        if (form["StatusCallback"].ToString() is { Length: > 0 } callback)
        {
            statusCallback = AbsoluteHttpUrl(callback, "StatusCallback");
        }
        var status = form["Status"].ToString();
        if (status is "completed" or "canceled")
        {
            return (new CompleteCall(), statusCallback, "completed");
        }
        if (status.Length > 0)
        {
            throw new TwilioCallException(0, $"Status '{status}' is not one of completed, canceled");
        }
        if (form["Twiml"].ToString() is { Length: > 0 } twiml)
        {
            return (new RedirectCall(TwimlDocument.Parse(twiml, requestUrl), null, HttpMethod.Post), statusCallback, "in-progress");
        }
        if (form["Url"].ToString() is { Length: > 0 } url)
        {
            var method = form["Method"].ToString() is { Length: > 0 } m ? new HttpMethod(m.ToUpperInvariant()) : HttpMethod.Post;
            return (new RedirectCall(null, AbsoluteHttpUrl(url, "Url"), method), statusCallback, "in-progress");
        }
        if (statusCallback is not null)
        {
            return (null, statusCallback, "in-progress");
        }
        throw new TwilioCallException(0, "One of Status, Twiml, Url or StatusCallback is required to update a call in progress");
    }

    internal static Uri AbsoluteHttpUrl(string text, string parameter) =>
        Uri.TryCreate(text, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute
            : throw new TwilioCallException(0, $"{parameter} '{text}' is not an absolute http(s) URL");

    internal static bool IsAuthenticated(HttpRequest request, string accountSid, string authToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = $"{accountSid}:{authToken}";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(credentials), Encoding.UTF8.GetBytes(expected));
    }

    internal static IResult Error(HttpStatusCode status, int? code, string message)
    {
        var body = new Dictionary<string, object?> { ["message"] = message, ["status"] = (int)status };
        if (code is { } known)
        {
            body["code"] = known;
            body["more_info"] = $"https://www.twilio.com/docs/errors/{known}";
        }
        return Results.Json(body, statusCode: (int)status);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
