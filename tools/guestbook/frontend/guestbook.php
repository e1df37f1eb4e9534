<?php
// The guestbook's JSON API, as the examples README describes it:
//   guestbook.php?cmd=set&key=K&value=V  writes to the master  -> {"message": "Updated"}
//   guestbook.php?cmd=get&key=K          reads from a slave    -> {"data": "V"}
// Hosts: the service names redis-master / redis-slave (cluster DNS), or
// $REDIS_MASTER_SERVICE_HOST / $REDIS_SLAVE_SERVICE_HOST when GET_HOSTS_FROM=env.
// A key that does not exist reads as "" (as the original page did).
// Failures answer a JSON {"error": "..."} naming the host, with 400 for a bad
// request and 503 when Redis cannot be reached.

const REDIS_PORT = 6379;
const REDIS_TIMEOUT_S = 2.0;

header('Content-Type: application/json');

/** Answers with `$status` and a JSON body, then ends the request. */
function answer(int $status, string $body): never {
    http_response_code($status);
    print($body . "\n");
    exit;
}

function json_str(string $s): string {
    return json_encode($s, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
}

function fail(int $status, string $message): never {
    answer($status, '{"error": ' . json_str($message) . '}');
}

/** The host of `$service` ("redis-master" or "redis-slave"). */
function service_host(string $service): string {
    if (getenv('GET_HOSTS_FROM') !== 'env') {
        return $service;
    }
    $var = strtoupper(str_replace('-', '_', $service)) . '_SERVICE_HOST';
    $host = getenv($var);
    if ($host === false || $host === '') {
        fail(503, "GET_HOSTS_FROM=env but $var is not set");
    }
    return $host;
}

function connect(string $service): Redis {
    $host = service_host($service);
    $redis = new Redis();
    try {
        if (!$redis->connect($host, REDIS_PORT, REDIS_TIMEOUT_S)) {
            fail(503, "$service ($host:" . REDIS_PORT . "): connect failed");
        }
        $redis->setOption(Redis::OPT_READ_TIMEOUT, REDIS_TIMEOUT_S);
    } catch (RedisException $e) {
        fail(503, "$service ($host:" . REDIS_PORT . "): " . $e->getMessage());
    }
    return $redis;
}

$cmd = $_GET['cmd'] ?? null;
$key = $_GET['key'] ?? null;
if (!is_string($cmd) || ($cmd !== 'set' && $cmd !== 'get')) {
    fail(400, 'usage: guestbook.php?cmd=set&key=K&value=V or guestbook.php?cmd=get&key=K');
}
if (!is_string($key) || $key === '') {
    fail(400, "cmd=$cmd needs a key");
}

if ($cmd === 'set') {
    $value = $_GET['value'] ?? null;
    if (!is_string($value)) {
        fail(400, 'cmd=set needs a value');
    }
    $redis = connect('redis-master');
    try {
        $ok = $redis->set($key, $value);
    } catch (RedisException $e) {
        fail(503, 'redis-master: SET failed: ' . $e->getMessage());
    }
    if ($ok !== true) {
        fail(503, 'redis-master: SET failed: ' . ($redis->getLastError() ?? 'no reply'));
    }
    answer(200, '{"message": "Updated"}');
}

$redis = connect('redis-slave');
try {
    $value = $redis->get($key);
} catch (RedisException $e) {
    fail(503, 'redis-slave: GET failed: ' . $e->getMessage());
}
answer(200, '{"data": ' . json_str($value === false ? '' : (string)$value) . '}');
