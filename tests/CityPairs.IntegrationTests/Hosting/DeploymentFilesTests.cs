namespace CityPairs.IntegrationTests.Hosting;

/// <summary>The deployment files ship no secret: compose takes the database password from an environment file.</summary>
public sealed class DeploymentFilesTests
{
    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CityPairs.sln")))
            {
                return Path.Combine(dir.FullName, name);
            }
        }

        throw new InvalidOperationException("The repository root (CityPairs.sln) was not found above the test binaries.");
    }

    [Fact]
    public void Compose_has_no_default_database_password_and_refuses_to_start_without_one()
    {
        var compose = File.ReadAllText(RepositoryFile("docker-compose.yml"));

        Assert.DoesNotContain("POSTGRES_PASSWORD:-", compose, StringComparison.Ordinal);
        // ${VAR:?message}: compose stops with the message when the variable is unset or empty.
        Assert.Equal(2, compose.Split("${POSTGRES_PASSWORD:?", StringSplitOptions.None).Length - 1);
    }

    [Fact]
    public void The_environment_file_is_documented_by_an_example_and_never_committed()
    {
        var example = File.ReadAllLines(RepositoryFile(".env.example"));
        var ignored = File.ReadAllLines(RepositoryFile(".gitignore"));

        Assert.Contains(example, l => l.StartsWith("POSTGRES_PASSWORD=", StringComparison.Ordinal));
        // The example carries no usable secret.
        Assert.Equal("POSTGRES_PASSWORD=", example.Single(l => l.StartsWith("POSTGRES_PASSWORD=", StringComparison.Ordinal)));
        Assert.Contains(".env", ignored);
    }
}
