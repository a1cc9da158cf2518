using System.Text;
using Bridge.Security.Refusals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Security;

/// <summary>
/// Refuses any request whose X-Twilio-Signature does not match: 403 and a log line that says why (never the
/// token). Form posts and JSON bodies (bodySHA256) are both understood; an oversized or unreadable body is 4xx.
/// A URL that carries bodySHA256 is always checked against the body, even an empty one. Refusals are counted in
/// <c>bridge.requests.refused</c> and logged at Debug, with at most one warning per reason every 10 s.
/// </summary>
public sealed class TwilioRequestValidationFilter(
    TwilioSignatureValidator validator,
    PublicUrl publicUrl,
    RequestRefusals refusals) : IEndpointFilter
{
    /// <summary>Twilio's webhook bodies are a few hundred bytes; anything near this is not Twilio.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var url = publicUrl.ForRequest(request);

        if (request.ContentLength > MaxBodyBytes)
        {
            Refuse("body-too-large", url, "body too large");
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large.");
        }
        if (context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (!request.HasFormContentType && !request.HasJsonContentType() && HasBody(request))
        {
            Refuse("content-type", url, $"unsupported content type '{request.ContentType}'");
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
            Refuse("body-too-large", url, "body too large");
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large.");
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or DecoderFallbackException)
        {
            Refuse("unreadable-body", url, "unreadable body: " + e.Message);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body could not be read.");
        }

        if (!check.IsValid)
        {
            Refuse("signature", url, check.Reason);
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The Twilio signature is missing or does not match.");
        }

        return await next(context);
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    private void Refuse(string reason, string url, string detail) => refusals.Refused(reason, $"{url}: {detail}");

    private async Task<SignatureCheck> CheckAsync(HttpRequest request, string url, string signature, CancellationToken cancellationToken)
    {
        // Twilio signs a JSON body's URL alone, with the body's hash in it: such a URL proves nothing without the body
        // that hashes to it, whatever the content type says, and however short (empty) the body is.
        if (request.HasJsonContentType() || request.Query.ContainsKey(TwilioSignatureValidator.BodyHashParameter))
        {
            // Read again from the start by a handler that wants the body in another form (the size is bounded above).
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true), leaveOpen: true);
            var body = await reader.ReadToEndAsync(cancellationToken);
            request.Body.Position = 0;
            var check = validator.ValidateJson(url, body, signature);
            request.HttpContext.Items[typeof(TwilioRequestValidationFilter)] = body;
            return check;
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return validator.ValidateForm(url, form, signature);
        }
        return validator.ValidateForm(url, [], signature);
    }
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
