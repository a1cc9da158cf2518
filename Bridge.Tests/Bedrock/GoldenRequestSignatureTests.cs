using Bridge.Bedrock;

namespace Bridge.Tests.Bedrock;

public sealed class GoldenRequestSignatureTests
{
    [Theory]
    [InlineData("normal")]
    [InlineData("exception")]
    public void The_recorded_request_signature_is_reproduced_from_its_headers_credentials_and_date(string scenarioName)
    {
        var capture = GoldenCapture.Instance;
        var scenario = capture.Scenario(scenarioName);
        var headers = GoldenCapture.RequestHeaders(scenario);
        var signedNames = headers["authorization"].Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var signedAt = DateTimeOffset.ParseExact(headers["x-amz-date"], "yyyyMMdd'T'HHmmss'Z'",
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

        var signature = SigV4RequestSigner.Sign("POST", headers[":path"],
            signedNames.Select(name => KeyValuePair.Create(name, headers[name])),
            headers["x-amz-content-sha256"], signedAt, capture.Region, capture.Service, capture.AccessKey, capture.SecretKey);

        Assert.Equal(headers["authorization"], signature.Authorization);
    }

    [Fact]
    public void The_canonical_path_encodes_the_model_id_twice()
    {
        Assert.Equal("/model/amazon.nova-2-sonic-v1%253A0/invoke-with-bidirectional-stream",
            SigV4RequestSigner.CanonicalPath(BedrockEndpoint.InvokePath("amazon.nova-2-sonic-v1:0")));
    }
}
