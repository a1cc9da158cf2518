using System.Text;
using Twilio.TwiML;

namespace Bridge.Api.Twiml;

/// <summary>A TwiML document as the answer to a Twilio webhook.</summary>
public sealed class TwimlResult(VoiceResponse response) : IResult
{
    public VoiceResponse Response { get; } = response;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/xml; charset=utf-8";
        return httpContext.Response.WriteAsync(Response.ToString(), Encoding.UTF8, httpContext.RequestAborted);
    }
}
