-- wrk script: every request opens a new case for the benchmark customer.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("AMENDS_TOKEN")
wrk.headers["Content-Type"] = "application/json"
local customer = os.getenv("AMENDS_CUSTOMER")
local n = 0
request = function()
    n = n + 1
    local body = '{"customer_id": ' .. customer .. ', "subject": "Grocery box never came", "category": "delivery", ' ..
        '"severity": "high", "channel": "email", "reference": "order ' .. n .. '", ' ..
        '"description": "My regular delivery did not turn up on Monday. I forwarded the confirmation email."}'
    return wrk.format(nil, nil, nil, body)
end
