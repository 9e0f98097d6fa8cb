using CityPairs.Web.Hosting;
using Npgsql;

namespace CityPairs.IntegrationTests.Hosting;

/// <summary>
/// A command run beside the app (migrate, api-token, generate) attaches to the app's development
/// cluster; when it exits the app's database must keep answering. Each test runs its own cluster.
/// </summary>
public sealed class LocalPostgresClusterTests
{
    [Fact]
    public async Task A_command_that_attached_to_the_running_cluster_leaves_it_running_when_it_exits()
    {
        var app = await LocalPostgresCluster.StartThrowawayAsync();
        try
        {
            var command = await LocalPostgresCluster.StartPersistentAsync(Path.GetDirectoryName(app.DataDirectory)!);
            Assert.True(app.StartedServer);
            Assert.False(command.StartedServer);
            Assert.Equal(app.Port, command.Port);
            Assert.True(await AnswersAsync(command));

            await command.DisposeAsync();

            Assert.True(await AnswersAsync(app), "The app's database still answers after the command exited.");
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.False(await AnswersAsync(app), "The process that started the cluster stops it.");
    }

    [Fact]
    public async Task Two_processes_starting_the_same_cluster_at_once_share_one_server_started_by_one_of_them()
    {
        var root = Environment.UserName == "root" ? "/var/tmp" : Path.GetTempPath();
        var directory = Path.Combine(root, "citypairs-test-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var both = await Task.WhenAll(
                Task.Run(() => LocalPostgresCluster.StartPersistentAsync(directory)),
                Task.Run(() => LocalPostgresCluster.StartPersistentAsync(directory)));
            var starter = Assert.Single(both, c => c.StartedServer);
            var attached = Assert.Single(both, c => !c.StartedServer);
            Assert.Equal(starter.Port, attached.Port);

            await attached.DisposeAsync();
            Assert.True(await AnswersAsync(starter));

            await starter.DisposeAsync();
            Assert.False(await AnswersAsync(starter));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<bool> AnswersAsync(LocalPostgresCluster cluster)
    {
        // No pooling: a pooled connection would be handed back without asking the server.
        var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Pooling = false, Timeout = 5 }.ConnectionString;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync() is 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
