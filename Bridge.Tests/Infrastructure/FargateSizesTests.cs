using Bridge.Deploy.TaskDefinitions.Fargate;

namespace Bridge.Tests.Infrastructure;

public class FargateSizesTests
{
    [Theory]
    [InlineData(256, 512)]
    [InlineData(256, 1024)]
    [InlineData(256, 2048)]
    [InlineData(512, 1024)]
    [InlineData(512, 4096)]
    [InlineData(1024, 2048)]
    [InlineData(1024, 5120)]
    [InlineData(1024, 8192)]
    [InlineData(2048, 4096)]
    [InlineData(2048, 16384)]
    [InlineData(4096, 8192)]
    [InlineData(4096, 30720)]
    [InlineData(8192, 16384)]
    [InlineData(8192, 20480)]
    [InlineData(8192, 61440)]
    [InlineData(16384, 32768)]
    [InlineData(16384, 40960)]
    [InlineData(16384, 122880)]
    public void Pairs_in_the_Fargate_matrix_are_accepted(int cpu, int memory) =>
        Assert.Null(FargateSizes.Check(cpu, memory));

    [Theory]
    [InlineData(256, 256)]
    [InlineData(256, 1536)]
    [InlineData(256, 3072)]
    [InlineData(512, 512)]
    [InlineData(512, 1536)]
    [InlineData(512, 5120)]
    [InlineData(1024, 1024)]
    [InlineData(1024, 9216)]
    [InlineData(2048, 3072)]
    [InlineData(2048, 17408)]
    [InlineData(4096, 31744)]
    [InlineData(8192, 18432)]
    [InlineData(8192, 65536)]
    [InlineData(16384, 36864)]
    [InlineData(16384, 131072)]
    public void Memory_that_does_not_go_with_the_cpu_is_rejected(int cpu, int memory) =>
        Assert.StartsWith($"memory {memory} does not go with cpu {cpu}", FargateSizes.Check(cpu, memory));

    [Theory]
    [InlineData(128)]
    [InlineData(300)]
    [InlineData(3072)]
    [InlineData(32768)]
    public void Cpu_that_is_not_a_Fargate_size_is_rejected(int cpu) =>
        Assert.StartsWith($"cpu {cpu} is not a Fargate size", FargateSizes.Check(cpu, 2048));
}
