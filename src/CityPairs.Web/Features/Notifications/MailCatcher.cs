using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CityPairs.Web.Features.Notifications;

/// <summary>A message the catcher received, as the development mailbox shows it.</summary>
public sealed record CaughtMail(long Number, DateTimeOffset ReceivedAt, string From, IReadOnlyList<string> To, string Subject, string TextBody, string? MessageId);

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1 that keeps the last <c>capacity</c> messages in memory.
/// Development runs one inside the app for /dev/mailbox; the tests run one to read what the outbox delivered.
/// </summary>
public sealed class MailCatcher : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<CaughtMail> _messages = new();
    private readonly int _capacity;
    private readonly TimeProvider _clock;
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _stop;
    private Task _running = Task.CompletedTask;
    private long _received;

    public MailCatcher(int port, int capacity = 200, TimeProvider? clock = null)
    {
        Port = port == 0 ? FreePort() : port;
        _capacity = capacity;
        _clock = clock ?? TimeProvider.System;
    }

    public int Port { get; }

    /// <summary>Raised after a message is stored (tests wait on it instead of sleeping).</summary>
    public event EventHandler? Received;

    /// <summary>Newest first.</summary>
    public IReadOnlyList<CaughtMail> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Listens on <see cref="Port"/>; returns once the port accepts connections.</summary>
    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new SmtpServer.Net.EndpointListenerFactory();
        listeners.EndpointStarted += (_, _) => started.TrySetResult();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(listeners);
        _server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _running = _server.StartAsync(_stop.Token);
        // A port already taken ends StartAsync with the error instead of raising EndpointStarted.
        await Task.WhenAny(started.Task, _running);
        await (_running.IsCompleted ? _running : started.Task);
    }

    /// <summary>Stops listening; safe to call twice at once (the host stops it, then the container disposes it).</summary>
    public async Task StopAsync()
    {
        var stop = Interlocked.Exchange(ref _stop, null);
        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // Stopped as asked, or it never got its port (DevelopmentMailServer logged that).
        }
        finally
        {
            stop.Dispose();
            _server = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Add(MimeMessage message)
    {
        lock (_gate)
        {
            _received++;
            _messages.AddFirst(new CaughtMail(
                _received,
                _clock.GetUtcNow(),
                message.From.ToString(),
                [.. message.To.Mailboxes.Select(m => m.Address)],
                message.Subject ?? "",
                message.TextBody ?? "",
                message.MessageId));
            while (_messages.Count > _capacity)
            {
                _messages.RemoveLast();
            }
        }

        Received?.Invoke(this, EventArgs.Empty);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class Store(MailCatcher catcher) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream();
            foreach (var segment in buffer)
            {
                await stream.WriteAsync(segment, cancellationToken);
            }

            stream.Position = 0;
            catcher.Add(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
