# Shared by the bench/*/run scripts (sourced): ports, waiting, nginx as the baseline, wrk summaries, medians.
# The caller sets `work` (a scratch directory) and the array `pids` (killed on exit).

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

# "requests_per_second p99_ms non_2xx" from a wrk --latency report.
summarize() {
    awk '/Requests\/sec/ {rps=$2} /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v} /Non-2xx/ {bad=$4} END {printf "%s %s %s\n", rps, p99, (bad==""?0:bad)}' "$1"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# start_nginx: serves $work/nginx/www on 127.0.0.1 (2 workers, like amends' 2 I/O threads); sets nginx_port.
start_nginx() {
    nginx_port=$(free_port)
    mkdir -p "$work/nginx/www" "$work/nginx/tmp"
    chmod 755 "$work"  # nginx workers run as an unprivileged user
    cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 2;
user www-data;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log $work/nginx/access.log;
    client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
    uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$nginx_port; root $work/nginx/www; default_type application/json; }
}
NGINX
    nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
    pids+=($!)
}
