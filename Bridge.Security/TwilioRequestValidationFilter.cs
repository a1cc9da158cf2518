using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Security;

/// <summary>
/// Refuses any request whose X-Twilio-Signature does not match: 403 and a log line that says why (never the
/// token). Form posts and JSON bodies (bodySHA256) are both understood; an oversized or unreadable body is 4xx.
/// </summary>
public sealed partial class TwilioRequestValidationFilter(
    TwilioSignatureValidator validator,
    PublicUrl publicUrl,
    ILogger<TwilioRequestValidationFilter> logger) : IEndpointFilter
{
    /// <summary>Twilio's webhook bodies are a few hundred bytes; anything near this is not Twilio.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var url = publicUrl.ForRequest(request);

        if (request.ContentLength > MaxBodyBytes)
        {
            LogRefused(url, "body too large");
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large.");
        }
        if (context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (!request.HasFormContentType && !request.HasJsonContentType() && HasBody(request))
        {
            LogRefused(url, $"unsupported content type '{request.ContentType}'");
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Twilio webhooks are form posts or JSON.");
        }

        var signature = request.Headers[TwilioSignatureValidator.HeaderName].ToString();
        SignatureCheck check;
        try
        {
            check = await CheckAsync(request, url, signature, context.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            LogRefused(url, "body too large");
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large.");
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or DecoderFallbackException)
        {
            LogRefused(url, "unreadable body: " + e.Message);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body could not be read.");
        }

        if (!check.IsValid)
        {
            LogRefused(url, check.Reason);
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The Twilio signature is missing or does not match.");
        }

        return await next(context);
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    private async Task<SignatureCheck> CheckAsync(HttpRequest request, string url, string signature, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return validator.ValidateForm(url, form, signature);
        }
        if (request.HasJsonContentType())
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            var body = await reader.ReadToEndAsync(cancellationToken);
            var check = validator.ValidateJson(url, body, signature);
            request.HttpContext.Items[typeof(TwilioRequestValidationFilter)] = body;
            return check;
        }
        return validator.ValidateForm(url, [], signature);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Twilio request to {Url}: {Reason}")]
    private partial void LogRefused(string url, string reason);
}

public static class TwilioRequestValidationFilterExtensions
{
    /// <summary>Checks X-Twilio-Signature on every endpoint of the group (403 on failure).</summary>
    public static TBuilder ValidateTwilioRequest<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, TwilioRequestValidationFilter>();

    /// <summary>The raw JSON body a validated JSON webhook carried (the stream was read by the filter).</summary>
    public static string? ValidatedJsonBody(this HttpContext context) =>
        context.Items[typeof(TwilioRequestValidationFilter)] as string;
}
