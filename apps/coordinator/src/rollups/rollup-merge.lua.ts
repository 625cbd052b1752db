import type { RollupSettings } from '../config/coordinator-config';
import { encodeBucket } from './rollup-encoding';
import type { RollupBucket } from './rollup-bucket';
import { retentionOf, TIER_ORDER } from './rollup-tiers';

/**
 * Lua for the round's commit script: `rollupRound(openKey, prefix, at, delta, tiers)` adds one
 * round's rollup (`delta`, a bucket body, see `rollup-encoding.ts`) into the open bucket of every
 * tier, in the monitor's open hash (`openKey`, one field per tier: `<start ms> <body>`).
 *
 * Rounds are applied in order (the commit refuses a round not later than the last applied one), so
 * a round falls either in the open bucket, which it merges into, or in a later one: the open
 * bucket is then closed, appended to its chunk (`<prefix><tier>:<chunk number>`, a string of
 * lines, see `rollup-encoding.ts`; rewritten whole with its expiry, chunk end + retention), and the
 * round opens the next. Per round: one HMGET, one HSET, and per closed bucket a GET, SET and
 * PEXPIREAT; the open hash lives as long as the open day bucket can be read.
 *
 * `tiers` is what {@link rollupTiersLua} reads from ARGV: `{field, bucketMs, chunkMs, retentionMs}`
 * per tier, finest first. Keys are built from `prefix`, which carries the monitor's hash tag: every
 * key is in the slot of the script's other keys.
 */
export const ROLLUP_LUA = `
local function rollupList(text)
  local out = {}
  for item in string.gmatch(text .. ',', '([^,]*),') do out[#out + 1] = item end
  return out
end

local function rollupParse(body)
  local bucket = { t = {}, names = {}, r = {} }
  local first = true
  for part in string.gmatch(body .. '|', '([^|]*)|') do
    if first then
      first = false
      local totals = rollupList(part)
      for i = 1, #totals do bucket.t[i] = tonumber(totals[i]) or 0 end
    else
      local name, rest = string.match(part, '^([^=]*)=(.*)$')
      local items = rollupList(rest)
      local region = { c = {}, h = {} }
      for k = 1, 5 do region.c[k] = tonumber(items[k] or '') or 0 end
      for k = 6, #items do
        local index, n = string.match(items[k], '^(%d+):(%d+)$')
        if index then
          index = tonumber(index)
          region.h[index] = (region.h[index] or 0) + tonumber(n)
        end
      end
      bucket.names[#bucket.names + 1] = name
      bucket.r[name] = region
    end
  end
  return bucket
end

-- Adds delta into into (delta is parsed afresh for each merge: its tables may be taken over).
local function rollupAdd(into, delta)
  for i = 1, math.max(#into.t, #delta.t) do into.t[i] = (into.t[i] or 0) + (delta.t[i] or 0) end
  for _, name in ipairs(delta.names) do
    local d = delta.r[name]
    local r = into.r[name]
    if r then
      for k = 1, 4 do r.c[k] = r.c[k] + d.c[k] end
      if next(d.h) ~= nil and (next(r.h) == nil or d.c[5] > r.c[5]) then r.c[5] = d.c[5] end
      for index, n in pairs(d.h) do r.h[index] = (r.h[index] or 0) + n end
    else
      into.names[#into.names + 1] = name
      into.r[name] = d
    end
  end
end

local function rollupNumber(n)
  if n == 0 then return '' end
  return string.format('%d', n)
end

local function rollupEncode(bucket)
  local last = 0
  for i = 1, #bucket.t do if bucket.t[i] ~= 0 then last = i end end
  local totals = {}
  for i = 1, last do totals[i] = rollupNumber(bucket.t[i]) end
  local parts = { table.concat(totals, ',') }
  for _, name in ipairs(bucket.names) do
    local r = bucket.r[name]
    local items = {}
    for k = 1, 5 do items[k] = rollupNumber(r.c[k]) end
    local indexes = {}
    for index in pairs(r.h) do indexes[#indexes + 1] = index end
    table.sort(indexes)
    for _, index in ipairs(indexes) do items[#items + 1] = string.format('%d:%d', index, r.h[index]) end
    parts[#parts + 1] = name .. '=' .. table.concat(items, ',')
  end
  return table.concat(parts, '|')
end

-- Appends a closed bucket (its start, its body keyed by region name) to its chunk.
local function rollupClose(prefix, tier, start, body)
  local chunk = math.floor(start / tier.chunkMs)
  local key = prefix .. tier.field .. ':' .. string.format('%d', chunk)
  local stored = redis.call('GET', key)
  local header, records = '', ''
  if stored then header, records = string.match(stored, '^([^\\n]*)\\n?(.*)$') end
  local names, index = {}, {}
  for name in string.gmatch(header, '[^,]+') do
    names[#names + 1] = name
    index[name] = #names - 1
  end
  local parts = {}
  for part in string.gmatch(body .. '|', '([^|]*)|') do
    if #parts == 0 then
      parts[1] = part
    else
      local name, rest = string.match(part, '^([^=]*)=(.*)$')
      if index[name] == nil then
        names[#names + 1] = name
        index[name] = #names - 1
      end
      parts[#parts + 1] = string.format('%d', index[name]) .. '=' .. rest
    end
  end
  local record = string.format('%d', (start - chunk * tier.chunkMs) / tier.bucketMs) .. ' ' .. table.concat(parts, '|')
  if records ~= '' then record = records .. '\\n' .. record end
  redis.call('SET', key, table.concat(names, ',') .. '\\n' .. record)
  redis.call('PEXPIREAT', key, string.format('%d', (chunk + 1) * tier.chunkMs + tier.retentionMs))
end

local function rollupRound(openKey, prefix, at, delta, tiers)
  local fields = {}
  for i, tier in ipairs(tiers) do fields[i] = tier.field end
  local open = redis.call('HMGET', openKey, unpack(fields))
  local writes = {}
  local expireAt = nil
  for i, tier in ipairs(tiers) do
    local start = math.floor(at / tier.bucketMs) * tier.bucketMs
    local value = nil
    local opened = false
    local current = open[i]
    if current then
      local s, body = string.match(current, '^(%d+) (.*)$')
      s = tonumber(s)
      if s == start then
        local bucket = rollupParse(body)
        rollupAdd(bucket, rollupParse(delta))
        value = rollupEncode(bucket)
      elseif s < start then
        rollupClose(prefix, tier, s, body)
        value = delta
        opened = true
      end
      -- s > start: a round before the open bucket, which ordered commits never apply: left out.
    else
      value = delta
      opened = true
    end
    if value then
      writes[#writes + 1] = tier.field
      writes[#writes + 1] = string.format('%d', start) .. ' ' .. value
      if opened and i == #tiers then expireAt = start + tier.bucketMs + tier.retentionMs end
    end
  end
  if #writes > 0 then redis.call('HSET', openKey, unpack(writes)) end
  if expireAt then redis.call('PEXPIREAT', openKey, string.format('%d', expireAt)) end
end
`;

/** ARGV values {@link rollupTiersLua} reads: four per tier. */
export const ROLLUP_TIER_ARGS = TIER_ORDER.length * 4;

/** Lua: `rollupTiers(first)`, the tiers from ARGV[first] on, as {@link rollupTierArgs} wrote them. */
export const rollupTiersLua = `
local function rollupTiers(first)
  local tiers = {}
  for i = first, first + ${ROLLUP_TIER_ARGS - 1}, 4 do
    tiers[#tiers + 1] = { field = ARGV[i], bucketMs = tonumber(ARGV[i + 1]), chunkMs = tonumber(ARGV[i + 2]), retentionMs = tonumber(ARGV[i + 3]) }
  end
  return tiers
end`;

/** The tiers as ARGV values: field, bucket ms, chunk ms, retention ms, per tier, finest first. */
export function rollupTierArgs(settings: RollupSettings): (string | number)[] {
  return TIER_ORDER.flatMap((tier) => [tier.field, tier.bucketMs, tier.chunkMs, retentionOf(tier, settings)]);
}

/** A round's delta as the commit script takes it: its bucket body, or `''` when rollups are off. */
export function rollupDeltaArg(delta: RollupBucket, settings: RollupSettings): string {
  return settings.enabled ? encodeBucket(delta) : '';
}
