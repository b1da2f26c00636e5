module github.com/secgate/secgate

go 1.26.8
