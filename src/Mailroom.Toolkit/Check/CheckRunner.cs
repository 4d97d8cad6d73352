namespace Mailroom.Toolkit.Check;

/// <summary>Runs the validation plan step by step, reporting each step's name to a progress callback.</summary>
internal sealed class CheckRunner
{
    private readonly CheckSettings _settings;
    private readonly TimeProvider _time;

    public CheckRunner(CheckSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
    }

    public async Task<IReadOnlyList<CheckResult>> RunAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        foreach (ServiceSpec service in _settings.Services)
        {
            progress($"{service.Name} ({service.Port}): connectivity and TLS");
            results.AddRange(await ServiceProbe.RunAsync(_settings, service, _time, cancellationToken).ConfigureAwait(false));
        }

        ServiceSpec? smtp = Find("smtp");
        if (_settings.Relay && smtp is not null)
        {
            progress("open relay");
            results.AddRange(await RelayProbe.RunAsync(_settings, smtp, cancellationToken).ConfigureAwait(false));
        }

        if (Find("submission") is { } submission)
        {
            progress("submission");
            results.AddRange(await SubmissionProbe.RunAsync(_settings, submission, cancellationToken).ConfigureAwait(false));
        }

        if (_settings.To is not null && smtp is not null)
        {
            progress("receipt round trip");
            if (_settings.User is null || _settings.Password is null)
            {
                results.Add(new CheckResult("round trip", _settings.To, CheckStatus.Warn, "not tested: --user and --pass are needed to find the message"));
            }
            else
            {
                ServiceSpec? imap = Find("imaps") ?? Find("imap");
                ServiceSpec? pop3 = Find("pop3s") ?? Find("pop3");
                (IReadOnlyList<CheckResult> roundTrip, string? queueId) = await RoundTripProbe.RunAsync(_settings, smtp, imap, pop3, _time, cancellationToken).ConfigureAwait(false);
                results.AddRange(roundTrip);
                if (_settings.LogFile is { } log)
                {
                    progress("mail log");
                    results.Add(await LogProbe.RunAsync(log, queueId, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        if (_settings.Scan)
        {
            progress("exposure scan");
            var expected = new HashSet<int>(_settings.Services.Select(s => s.Port).Concat(_settings.ExpectPorts));
            results.AddRange(await PortScan.RunAsync(_settings.Host, _settings.ScanPorts, expected, _settings.ScanTimeout, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private ServiceSpec? Find(string name) => _settings.Services.FirstOrDefault(s => s.Name == name);
}
