using System.Net;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using YamlDotNet.RepresentationModel;

namespace Mailroom.Policy.Tests.Spf;

/// <summary>
/// The openspf.org RFC 7208 test suite (TestData/rfc7208-tests.yml, BSD licence beside it), every case run against
/// its zone data through the fake resolver. A case lists the results it accepts; <c>DEFAULT</c> explanations are the
/// implementation's own and not compared.
/// </summary>
public sealed class Rfc7208SuiteTests
{
    private static readonly Lazy<Dictionary<string, SuiteCase>> Cases = new(Load);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in Cases.Value.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task SuiteCaseGivesAnAcceptedResult(string name)
    {
        SuiteCase test = Cases.Value[name];
        var checker = new SpfChecker(test.Dns, new SpfLimits(), new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
        SpfVerdict verdict = await checker.CheckMailFromAsync(IPAddress.Parse(test.Host), test.MailFrom, test.Helo, "receiver.example", TestContext.Current.CancellationToken);

        Assert.True(test.Results.Contains(verdict.Keyword), $"{name}: got {verdict.Keyword} ({verdict.Problem}; record {verdict.Record}), expected {string.Join(" or ", test.Results)}");
        if (test.Explanation is { } explanation && explanation != "DEFAULT" && verdict.Result == SpfResult.Fail)
        {
            Assert.Equal(explanation, verdict.Explanation);
        }
    }

    [Fact]
    public void SuiteIsReadCompletely() =>
        Assert.True(Cases.Value.Count > 200, $"only {Cases.Value.Count} cases read");

    private static Dictionary<string, SuiteCase> Load()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Spf", "TestData", "rfc7208-tests.yml")))
        {
            yaml.Load(reader);
        }

        var cases = new Dictionary<string, SuiteCase>(StringComparer.Ordinal);
        foreach (YamlDocument document in yaml.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            FakeDns dns = Zone((YamlMappingNode)root["zonedata"]);
            foreach ((YamlNode key, YamlNode value) in ((YamlMappingNode)root["tests"]).Children)
            {
                var test = (YamlMappingNode)value;
                YamlNode result = test["result"];
                string[] results = result is YamlSequenceNode list ? [.. list.Children.Select(Scalar)] : [Scalar(result)];
                cases[Scalar(key)] = new SuiteCase(dns, Scalar(test["host"]), Text(test, "mailfrom"), Text(test, "helo"), results, test.Children.ContainsKey("explanation") ? Scalar(test["explanation"]) : null);
            }
        }

        return cases;
    }

    /// <summary>
    /// The suite's zone format: SPF records stand in for TXT records where a name has no TXT of its own (the driver
    /// convention the suite asks for), <c>TXT: NONE</c> means no TXT records, <c>TIMEOUT</c> makes the name's questions fail.
    /// </summary>
    private static FakeDns Zone(YamlMappingNode zone)
    {
        var dns = new FakeDns();
        foreach ((YamlNode nameNode, YamlNode recordsNode) in zone.Children)
        {
            string name = Scalar(nameNode);
            bool hasTxt = false;
            bool timeout = false;
            bool realTxt = false;
            var spf = new List<string>();
            foreach (YamlNode record in ((YamlSequenceNode)recordsNode).Children)
            {
                if (record is YamlScalarNode { Value: "TIMEOUT" })
                {
                    timeout = true;
                    continue;
                }

                (YamlNode typeNode, YamlNode value) = ((YamlMappingNode)record).Children.Single();
                string type = Scalar(typeNode);
                switch (type)
                {
                    case "SPF":
                        spf.Add(Joined(value));
                        break;
                    case "TXT":
                        hasTxt = true;
                        if (Joined(value) != "NONE")
                        {
                            realTxt = true;
                            dns.Txt(name, Joined(value));
                        }
                        else
                        {
                            dns.Exists(name);
                        }

                        break;
                    case "A":
                        dns.A(name, Scalar(value));
                        break;
                    case "AAAA":
                        dns.Aaaa(name, Scalar(value));
                        break;
                    case "MX":
                        var mx = (YamlSequenceNode)value;
                        dns.Mx(name, int.Parse(Scalar(mx.Children[0]), System.Globalization.CultureInfo.InvariantCulture), Scalar(mx.Children[1]));
                        break;
                    case "PTR":
                        dns.Ptr(name, Scalar(value));
                        break;
                    case "CNAME":
                        dns.Cname(name, Scalar(value));
                        break;
                    default:
                        throw new InvalidDataException($"record type {type} of {name}");
                }
            }

            // TIMEOUT stands for the SPF-type query where the name has TXT records (never asked since RFC 7208).
            if (timeout && !realTxt)
            {
                dns.Fail(name);
            }

            if (!hasTxt)
            {
                foreach (string text in spf)
                {
                    dns.Txt(name, text);
                }
            }

            if (spf.Count > 0 && hasTxt)
            {
                dns.Exists(name);
            }
        }

        return dns;
    }

    private static string Joined(YamlNode node) =>
        node is YamlSequenceNode parts ? string.Concat(parts.Children.Select(Scalar)) : Scalar(node);

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static string Text(YamlMappingNode map, string key) => map.Children.TryGetValue(key, out YamlNode? node) ? Scalar(node) : "";

    private sealed record SuiteCase(FakeDns Dns, string Host, string MailFrom, string Helo, string[] Results, string? Explanation);
}
