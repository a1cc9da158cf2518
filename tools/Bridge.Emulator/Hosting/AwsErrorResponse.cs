using System.Text.Json;
using Bridge.Emulator.Wire;
using Microsoft.AspNetCore.Http;

namespace Bridge.Emulator.Hosting;

/// <summary>
/// An error answered before the stream opens, as AWS's JSON protocols answer: x-amzn-ErrorType, x-amzn-RequestId
/// (what a support case quotes) and {"message":...}.
/// </summary>
internal static class AwsErrorResponse
{
    public static async Task WriteAsync(HttpContext context, int statusCode, string errorType, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers["x-amzn-ErrorType"] = errorType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new ExceptionBody(message), WireJsonContext.Default.ExceptionBody), context.RequestAborted);
    }
}
