using System.Text;
using System.Text.Json.Nodes;
using Parley.Signaling.Rpc;

namespace Parley.Signaling.Tests;

public sealed class JsonRpcRequestTests
{
    private static (JsonRpcRequest? Request, JsonRpcError? Error, bool Ok) Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    private static (JsonRpcRequest? Request, JsonRpcError? Error, bool Ok) Parse(byte[] bytes)
    {
        bool ok = JsonRpcRequest.TryParse(bytes, out JsonRpcRequest? request, out JsonRpcError? error);
        return (request, error, ok);
    }

    [Fact]
    public void Reads_a_request_as_openvidu_browser_sends_it()
    {
        var (request, _, ok) = Parse("""{"jsonrpc":"2.0","method":"ping","params":{"interval":5000},"id":0}""");
        Assert.True(ok);
        Assert.True(request!.HasId);
        Assert.Equal(0, request.Id!.GetValue<int>());
        Assert.Equal("ping", request.Method);
        Assert.Equal(5000, request.Params["interval"]!.GetValue<int>());
    }

    [Fact]
    public void Absent_params_read_as_an_empty_object_and_a_missing_id_as_a_notification()
    {
        var (request, _, ok) = Parse("""{"jsonrpc":"2.0","method":"ping"}""");
        Assert.True(ok);
        Assert.False(request!.HasId);
        Assert.Empty(request.Params);
    }

    [Fact]
    public void String_ids_are_kept_as_sent()
    {
        var (request, _, _) = Parse("""{"jsonrpc":"2.0","method":"echo","id":"a-1"}""");
        Assert.Equal("a-1", request!.Id!.GetValue<string>());
    }

    [Fact]
    public void Responses_from_the_client_are_ignored_without_an_error()
    {
        var (request, error, ok) = Parse("""{"jsonrpc":"2.0","id":3,"result":{}}""");
        Assert.False(ok);
        Assert.Null(request);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("not json", RpcErrorCodes.ParseError)]
    [InlineData("", RpcErrorCodes.ParseError)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"ping\"", RpcErrorCodes.ParseError)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"method\":\"b\",\"id\":1}", RpcErrorCodes.ParseError)]
    [InlineData("[1,2]", RpcErrorCodes.InvalidRequest)]
    [InlineData("42", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"method\":\"ping\",\"id\":1}", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"1.0\",\"method\":\"ping\",\"id\":1}", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"\",\"id\":1}", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":7,\"id\":1}", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":{}}", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":[1]}", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":[1],\"id\":1}", RpcErrorCodes.InvalidParams)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":\"x\",\"id\":1}", RpcErrorCodes.InvalidParams)]
    public void Malformed_messages_get_the_json_rpc_error_that_names_the_fault(string text, int code)
    {
        var (request, error, ok) = Parse(text);
        Assert.False(ok);
        Assert.Null(request);
        Assert.Equal(code, error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void The_id_of_an_invalid_request_is_echoed_when_it_could_be_read()
    {
        var (_, error, _) = Parse("""{"jsonrpc":"2.0","method":"x","params":[],"id":12}""");
        Assert.Equal(12, error!.Id!.GetValue<int>());
    }

    [Fact]
    public void Deep_nesting_and_invalid_utf8_are_parse_errors()
    {
        string deep = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"a\":" + new string('[', 100) + new string(']', 100) + "},\"id\":1}";
        Assert.Equal(RpcErrorCodes.ParseError, Parse(deep).Error!.Code);
        byte[] invalid = [.. "{\"jsonrpc\":\"2.0\",\"method\":\""u8, 0xC3, 0x28, .. "\",\"id\":1}"u8];
        Assert.Equal(RpcErrorCodes.ParseError, Parse(invalid).Error!.Code);
    }

    [Fact]
    public void Random_and_mutated_frames_never_throw()
    {
        var random = new Random(20261124);
        byte[][] seeds =
        [
            .. new[]
            {
                """{"jsonrpc":"2.0","method":"joinRoom","params":{"token":"ws://h?sessionId=s&token=tok_A","session":"s","metadata":"{\"a\":1}"},"id":1}""",
                """{"jsonrpc":"2.0","method":"sendMessage","params":{"message":"{\"to\":[],\"data\":\"hi\",\"type\":\"signal:chat\"}"},"id":2}""",
                """{"jsonrpc":"2.0","method":"ping","params":{"interval":5000},"id":0}""",
            }.Select(Encoding.UTF8.GetBytes),
        ];
        int parsed = 0;
        for (int i = 0; i < 50_000; i++)
        {
            byte[] frame;
            if (i % 4 == 0)
            {
                frame = new byte[random.Next(0, 200)];
                random.NextBytes(frame);
            }
            else
            {
                frame = (byte[])seeds[random.Next(seeds.Length)].Clone();
                for (int m = random.Next(1, 6); m > 0; m--)
                {
                    int at = random.Next(frame.Length);
                    switch (random.Next(3))
                    {
                        case 0: frame[at] = (byte)random.Next(256); break;
                        case 1: frame = frame[..at]; break;
                        default: frame = [.. frame[..at], (byte)"{}[]\",:0\\"[random.Next(9)], .. frame[at..]]; break;
                    }

                    if (frame.Length == 0)
                    {
                        break;
                    }
                }
            }

            bool ok = JsonRpcRequest.TryParse(frame, out JsonRpcRequest? request, out JsonRpcError? error);
            Assert.True(ok ? request is not null && error is null : request is null);
            parsed += ok ? 1 : 0;
        }

        Assert.InRange(parsed, 1, 49_999); // some mutations stay valid, most do not
    }
}
