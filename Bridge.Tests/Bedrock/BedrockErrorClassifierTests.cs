using System.Net;
using Bridge.Bedrock;

namespace Bridge.Tests.Bedrock;

public sealed class BedrockErrorClassifierTests
{
    [Theory]
    [InlineData("throttlingException", "Too many requests")]
    [InlineData("serviceUnavailableException", "Service unavailable")]
    [InlineData("internalServerException", "Internal error")]
    [InlineData("modelStreamErrorException", "InternalErrorCode=531::RST_STREAM closed stream")]
    [InlineData("modelTimeoutException", "Model has timed out in processing the request")]
    [InlineData("validationException", "System instability detected. Please retry your request.")]
    public void Transient_failures_are_retryable(string type, string message)
    {
        Assert.True(BedrockErrorClassifier.FromErrorType(type, message).IsRetryable);
    }

    [Theory]
    [InlineData("validationException", "Invalid input request, please fix your input and try again.")]
    [InlineData("AccessDeniedException", "not authorized")]
    public void Caller_errors_are_not_retryable(string type, string message)
    {
        Assert.False(BedrockErrorClassifier.FromErrorType(type, message).IsRetryable);
    }

    [Fact]
    public void The_error_type_header_is_read_without_its_namespace_suffix()
    {
        var error = BedrockErrorClassifier.FromErrorType("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", "slow down", HttpStatusCode.TooManyRequests);

        Assert.Equal("ThrottlingException", error.ErrorType);
        Assert.IsType<BedrockTransientException>(error);
    }

    [Theory]
    [InlineData(null, null, "https://bedrock-runtime.eu-west-1.amazonaws.com/")]
    [InlineData("http://localhost:5090", null, "http://localhost:5090/")]
    [InlineData(null, "http://127.0.0.1:7000", "http://127.0.0.1:7000/")]
    public void The_endpoint_comes_from_configuration_then_the_sdk_variable_then_the_region(string? configured, string? variable, string expected)
    {
        var endpoint = BedrockEndpoint.Resolve(configured is null ? null : new Uri(configured), "eu-west-1",
            name => name == BedrockEndpoint.ServiceEnvironmentVariable ? variable : null);

        Assert.Equal(expected, endpoint.ToString());
    }
}
